package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpstreamCheckTest {

  /** A server on loopback that answers every request with {@code handler}; stopped by close. */
  private record Server(HttpServer http) implements AutoCloseable {
    static Server start(com.sun.net.httpserver.HttpHandler handler) throws IOException {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/", handler);
      http.start();
      return new Server(http);
    }

    URI url(String path) {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  /** A legacy HTTP+SSE endpoint at a path not ending in /sse: POST refused, GET streams events. */
  private static void legacy(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      byte[] event = "event: endpoint\ndata: /messages?id=1\n\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, event.length);
      exchange.getResponseBody().write(event);
    }
  }

  @Test
  void aStreamableHttpServerIsStreamableHttp() throws Exception {
    try (EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).start()) {
      assertThat(UpstreamCheck.check(server.url()).kind()).isEqualTo(TransportKind.STREAMABLE_HTTP);
      // The check opened no session: it sent a ping, not an initialize.
      assertThat(server.requests()).noneMatch(r -> "initialize".equals(r.mcpMethod()));
    }
  }

  @Test
  void aLegacyEndpointIsFoundByItsRefusedPostAndItsEventStream() throws Exception {
    try (Server server = Server.start(UpstreamCheckTest::legacy)) {
      UpstreamCheck.Outcome outcome = UpstreamCheck.check(server.url("/events"));

      assertThat(outcome.kind()).isEqualTo(TransportKind.SSE);
      assertThat(outcome.note()).contains("POST answered 405, GET opened an event stream");
    }
  }

  @Test
  void aPathWithNoEndpointIsNamedWithWhatTheUrlMustBe() throws Exception {
    try (Server server =
        Server.start(
            exchange -> {
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
            })) {
      URI url = server.url("/api");

      assertThatThrownBy(() -> UpstreamCheck.check(url))
          .isInstanceOf(UpstreamCheck.UpstreamException.class)
          .hasMessageContaining("the MCP server at " + url + " answered HTTP 404")
          .hasMessageContaining("usually end in /mcp");
    }
  }
}
