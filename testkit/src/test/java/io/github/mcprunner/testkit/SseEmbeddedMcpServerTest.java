package io.github.mcprunner.testkit;

import static io.github.mcprunner.testkit.McpClients.call;
import static io.github.mcprunner.testkit.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SseEmbeddedMcpServerTest extends AbstractEmbeddedMcpServerTest {

  @Override
  EmbeddedMcpServer.Mode mode() {
    return EmbeddedMcpServer.Mode.SSE;
  }

  @Test
  void theEventStreamAndTheMessagesAreRecordedWithTheSessionIdOfTheQuery() {
    try (McpSyncClient client = McpClients.client(server, Map.of("X-Test-Trace", "sse"))) {
      client.initialize();
      call(client, "add", Map.of("a", 1, "b", 2));
    }

    assertThat(server.requests())
        .filteredOn(r -> r.httpMethod().equals("GET"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/sse");
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.header("X-Test-Trace")).contains("sse");
            });
    RecordedRequest toolCall =
        server.requests().stream().filter(r -> r.isToolCall("add")).findFirst().orElseThrow();
    assertThat(toolCall.path()).isEqualTo("/message");
    assertThat(toolCall.query()).startsWith("sessionId=");
    assertThat(toolCall.sessionId()).isEqualTo(toolCall.query().substring("sessionId=".length()));
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

      assertThatThrownBy(() -> call(client, "add", Map.of("a", 2, "b", 2)))
          .isInstanceOf(RuntimeException.class);
    }
    URI oldEndpoint = server.baseUri().resolve("/message?sessionId=" + oldSession);
    assertThat(
            McpClients.post(
                    oldEndpoint,
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(404);

    try (McpSyncClient fresh = McpClients.client(server, Map.of())) {
      fresh.initialize();
      assertThat(text(call(fresh, "add", Map.of("a", 2, "b", 2)))).isEqualTo("4");
    }
  }
}
