package io.github.mcprunner.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeadlessUserAgentTest {
  private HttpServer server;
  private final List<String> paths = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/authorize",
        exchange -> {
          paths.add(exchange.getRequestURI().toString());
          exchange
              .getResponseHeaders()
              .set("Location", "http://localhost:3000/callback?code=test-auth-code&state=s1");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext(
        "/relative",
        exchange -> {
          exchange.getResponseHeaders().set("Location", "/callback?code=c2");
          exchange.sendResponseHeaders(303, -1);
          exchange.close();
        });
    server.createContext(
        "/login-page",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void returnsTheRedirectWithoutFollowingIt() {
    URI back = new HeadlessUserAgent().authorize(at("/authorize?client_id=c&state=s1"));

    assertThat(back).hasToString("http://localhost:3000/callback?code=test-auth-code&state=s1");
    assertThat(paths).containsExactly("/authorize?client_id=c&state=s1");
  }

  @Test
  void resolvesARelativeLocation() {
    assertThat(new HeadlessUserAgent().authorize(at("/relative")))
        .isEqualTo(at("/callback?code=c2"));
  }

  @Test
  void aPageInsteadOfARedirectIsAnErrorNamingTheOriginOnly() {
    assertThatThrownBy(
            () -> new HeadlessUserAgent().authorize(at("/login-page?state=secret-state")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered HTTP 200")
        .hasMessageContaining("127.0.0.1:" + server.getAddress().getPort())
        .hasMessageNotContaining("secret-state");
  }
}
