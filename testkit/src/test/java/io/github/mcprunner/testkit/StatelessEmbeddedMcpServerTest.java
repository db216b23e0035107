package io.github.mcprunner.testkit;

import static io.github.mcprunner.testkit.McpClients.call;
import static io.github.mcprunner.testkit.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatelessEmbeddedMcpServerTest extends AbstractEmbeddedMcpServerTest {

  @Override
  EmbeddedMcpServer.Mode mode() {
    return EmbeddedMcpServer.Mode.STATELESS;
  }

  @Test
  void getIsRefusedWith405AndRecorded() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.url())
                    .header("Accept", "text/event-stream")
                    .header("X-Probe", "get")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(server.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.httpMethod()).isEqualTo("GET");
              assertThat(r.status()).isEqualTo(405);
              assertThat(r.header("x-probe")).contains("get");
              assertThat(r.mcpMethod()).isNull();
            });
  }

  @Test
  void answersAreJsonWithoutSessionsSoExpiringSessionsChangesNothing() throws Exception {
    HttpResponse<String> init =
        McpClients.post(server.url(), McpClients.initializeBody(), Map.of());
    assertThat(init.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(init.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");

    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      client.initialize();
      server.expireSessions();
      assertThat(text(call(client, "add", Map.of("a", 20, "b", 22)))).isEqualTo("42");
    }
  }
}
