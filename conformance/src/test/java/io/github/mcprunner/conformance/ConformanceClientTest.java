package io.github.mcprunner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conformance client run in-process against real servers on loopback, over both transports. */
class ConformanceClientTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    return ConformanceClient.run(
        args,
        environment,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpclient", "okhttp"})
  void callsEveryListedToolOnceWithArgumentsFromItsSchema(String transport) {
    try (EmbeddedMcpServer server =
        EmbeddedMcpServer.builder()
            .tool(
                "add_numbers",
                "Adds two numbers",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},"
                    + "\"b\":{\"type\":\"number\"}},\"required\":[\"a\",\"b\"]}",
                (args, request) ->
                    "sum "
                        + (((Number) args.get("a")).intValue()
                            + ((Number) args.get("b")).intValue()))
            .tool("ping", "Answers pong", "{\"type\":\"object\"}", (args, request) -> "pong")
            .start()) {

      int status =
          run(
              Map.of(ScenarioContext.SCENARIO_VARIABLE, "tools_call"),
              "--transport",
              transport,
              server.url().toString());

      assertThat(status).as(stderr()).isZero();
      List<RecordedRequest> calls = new ArrayList<>();
      for (RecordedRequest request : server.requests()) {
        if ("tools/call".equals(request.mcpMethod())) {
          calls.add(request);
        }
      }
      assertThat(calls)
          .extracting(RecordedRequest::toolName)
          .containsExactly("add_numbers", "ping");
      assertThat(calls.get(0).body()).contains("\"a\":2").contains("\"b\":3");
      assertThat(stdout()).contains("add_numbers -> sum 5").contains("ping -> pong");
      assertThat(stderr()).contains("scenario 'tools_call' over " + transport);
    }
  }

  /**
   * The suite's {@code initialize} server offers no tools capability and answers everything with
   * JSON: the runner must not ask it for tools (the MCP SDK would refuse) and the run completes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"httpclient", "okhttp"})
  void serverWithoutToolsCapabilityIsNotAskedForTools(String transport) throws IOException {
    List<String> methods = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Pattern method = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    Pattern id = Pattern.compile("\"id\"\\s*:\\s*(\\d+|\"[^\"]*\")");
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
          }
          Matcher m = method.matcher(body);
          String name = m.find() ? m.group(1) : "?";
          methods.add(name);
          Matcher i = id.matcher(body);
          if (!i.find()) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
          }
          String result =
              "initialize".equals(name)
                  ? "{\"protocolVersion\":\"2025-11-25\","
                      + "\"serverInfo\":{\"name\":\"bare\",\"version\":\"1\"},"
                      + "\"capabilities\":{}}"
                  : "{}";
          byte[] response =
              ("{\"jsonrpc\":\"2.0\",\"id\":" + i.group(1) + ",\"result\":" + result + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, response.length);
          try (OutputStream body2 = exchange.getResponseBody()) {
            body2.write(response);
          }
        });
    server.start();
    try {
      int status =
          run(
              Map.of(ScenarioContext.SCENARIO_VARIABLE, "initialize"),
              "--transport",
              transport,
              "http://127.0.0.1:" + server.getAddress().getPort() + "/");

      assertThat(status).as(stderr()).isZero();
      assertThat(methods).contains("initialize", "notifications/initialized");
      assertThat(methods).doesNotContain("tools/list", "tools/call");
      assertThat(stdout()).contains("The server offers no tools.");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void badArgumentsExitWithTwoAndSayWhatIsWrong() {
    Map<String, String> env = Map.of(ScenarioContext.SCENARIO_VARIABLE, "initialize");

    assertThat(run(env)).isEqualTo(2);
    assertThat(stderr()).contains("no server URL");
    assertThat(run(env, "--transport", "carrier-pigeon", "http://localhost:1/mcp")).isEqualTo(2);
    assertThat(stderr()).contains("unknown transport 'carrier-pigeon'");
    assertThat(run(Map.of(), "http://localhost:1/mcp")).isEqualTo(2);
    assertThat(stderr()).contains("MCP_CONFORMANCE_SCENARIO is not set");
  }

  @Test
  void unreachableServerFailsTheRunWithExitOne() throws IOException {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int status =
        run(
            Map.of(ScenarioContext.SCENARIO_VARIABLE, "initialize"),
            "http://127.0.0.1:" + port + "/mcp");

    assertThat(status).isEqualTo(1);
    assertThat(stderr()).contains("run failed:").contains("127.0.0.1:" + port);
  }
}
