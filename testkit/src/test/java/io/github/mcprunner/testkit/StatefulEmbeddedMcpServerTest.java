package io.github.mcprunner.testkit;

import static io.github.mcprunner.testkit.McpClients.call;
import static io.github.mcprunner.testkit.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulEmbeddedMcpServerTest extends AbstractEmbeddedMcpServerTest {

  @Override
  EmbeddedMcpServer.Mode mode() {
    return EmbeddedMcpServer.Mode.STATEFUL;
  }

  @Test
  void expireSessionsAnswers404ToTheOldSessionWhileNewSessionsWork() throws Exception {
    String oldSession;
    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      client.initialize();
      call(client, "add", Map.of("a", 1, "b", 1));
      oldSession =
          server.requests().stream()
              .filter(r -> r.isToolCall("add"))
              .findFirst()
              .orElseThrow()
              .sessionId();

      server.expireSessions();
      server.clearRequests();

      assertThatThrownBy(() -> call(client, "add", Map.of("a", 2, "b", 2)))
          .isInstanceOf(RuntimeException.class);
      assertThat(server.requests())
          .filteredOn(r -> r.isToolCall("add"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.sessionId()).isEqualTo(oldSession);
                assertThat(r.status()).isEqualTo(404);
              });
    }

    HttpResponse<String> raw =
        McpClients.post(
            server.url(),
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}",
            Map.of("Mcp-Session-Id", oldSession));
    assertThat(raw.statusCode()).isEqualTo(404);

    try (McpSyncClient fresh = McpClients.client(server, Map.of())) {
      fresh.initialize();
      assertThat(text(call(fresh, "add", Map.of("a", 2, "b", 2)))).isEqualTo("4");
    }
  }

  @Test
  void progressAnswersWithAnEventStreamOfSeveralEvents() throws Exception {
    HttpResponse<String> init =
        McpClients.post(server.url(), McpClients.initializeBody(), Map.of());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    Map<String, String> inSession =
        Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18");
    McpClients.post(
        server.url(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", inSession);

    HttpResponse<String> response =
        McpClients.post(
            server.url(),
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"progress\",\"arguments\":{\"steps\":3},\"_meta\":{\"progressToken\":\"p\"}}}",
            inSession);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    List<String> events = response.body().lines().filter(line -> line.startsWith("data:")).toList();
    assertThat(events).hasSize(7);
    assertThat(events.subList(0, 6))
        .allMatch(e -> e.contains("notifications/message") || e.contains("notifications/progress"));
    assertThat(events.get(6)).contains("completed 3 steps").contains("\"id\":2");
  }

  @Test
  void closingTheClientIsRecordedAsADeleteOfItsSession() throws Exception {
    String session;
    try (McpSyncClient client = McpClients.client(server, Map.of("X-Test-Trace", "t"))) {
      client.initialize();
      call(client, "add", Map.of("a", 1, "b", 1));
      session =
          server.requests().stream()
              .filter(r -> r.isToolCall("add"))
              .findFirst()
              .orElseThrow()
              .sessionId();
    }

    // The SDK client sends the DELETE in the background after close() returned.
    assertThat(
            server.awaitRequest(
                r ->
                    r.httpMethod().equals("DELETE")
                        && session.equals(r.sessionId())
                        && r.status() != 0,
                Duration.ofSeconds(20)))
        .hasValueSatisfying(
            r -> {
              assertThat(r.header("X-Test-Trace")).contains("t");
              assertThat(r.mcpMethod()).isNull();
              assertThat(r.body()).isEmpty();
              assertThat(r.status()).isEqualTo(200);
            });
  }
}
