package io.github.mcprunner.testkit;

import static io.github.mcprunner.testkit.McpClients.call;
import static io.github.mcprunner.testkit.McpClients.json;
import static io.github.mcprunner.testkit.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BearerTokenTest {

  private static EmbeddedMcpServer start(EmbeddedMcpServer.Mode mode) {
    return EmbeddedMcpServer.builder()
        .mode(mode)
        .defaultTools()
        .requireBearerToken("good-token"::equals)
        .authorizationServer(URI.create("https://issuer.example.com"))
        .start();
  }

  private static URI firstPostUri(EmbeddedMcpServer server) {
    return server.mode() == EmbeddedMcpServer.Mode.SSE
        ? server.baseUri().resolve("/message?sessionId=none")
        : server.url();
  }

  @ParameterizedTest
  @EnumSource(
      value = EmbeddedMcpServer.Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void aWrongTokenIsRefusedWith401AndAChallengeAndRecorded(EmbeddedMcpServer.Mode mode)
      throws Exception {
    try (EmbeddedMcpServer server = start(mode)) {
      HttpResponse<String> response =
          McpClients.post(
              firstPostUri(server),
              McpClients.initializeBody(),
              Map.of("Authorization", "Bearer bad-token"));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .contains(
              "Bearer error=\"invalid_token\", resource_metadata=\""
                  + server.baseUri()
                  + "/.well-known/oauth-protected-resource\"");
      assertThat(server.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.mcpMethod()).isEqualTo("initialize");
                assertThat(r.header("authorization")).contains("Bearer bad-token");
              });
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EmbeddedMcpServer.Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void aMissingTokenGetsAChallengeWithoutErrorCode(EmbeddedMcpServer.Mode mode) throws Exception {
    try (EmbeddedMcpServer server = start(mode)) {
      HttpResponse<String> response =
          McpClients.post(firstPostUri(server), McpClients.initializeBody(), Map.of());

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .contains(
              "Bearer resource_metadata=\""
                  + server.baseUri()
                  + "/.well-known/oauth-protected-resource\"");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EmbeddedMcpServer.Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void theSdkClientIsRefusedWithoutTheTokenAndServedWithIt(EmbeddedMcpServer.Mode mode)
      throws Exception {
    try (EmbeddedMcpServer server = start(mode)) {
      // The legacy SSE client does not fail initialize when its event stream is refused: it waits
      // for the initialization timeout, kept short here.
      try (McpSyncClient refused =
          McpClients.client(
              server,
              Map.of("Authorization", "Bearer bad-token"),
              spec -> spec.initializationTimeout(Duration.ofSeconds(2)))) {
        assertThatThrownBy(refused::initialize).isInstanceOf(RuntimeException.class);
      }
      assertThat(server.requests())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(401));

      server.clearRequests();
      try (McpSyncClient client =
          McpClients.client(server, Map.of("Authorization", "Bearer good-token"))) {
        client.initialize();
        assertThat(json(text(call(client, "whoami", Map.of()))))
            .containsEntry("authorization", "Bearer good-token");
      }
      assertThat(
              server.awaitRequest(
                  r -> r.isToolCall("whoami") && r.status() != 0, Duration.ofSeconds(20)))
          .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(200));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EmbeddedMcpServer.Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void theProtectedResourceMetadataIsServedWithoutAToken(EmbeddedMcpServer.Mode mode)
      throws Exception {
    try (EmbeddedMcpServer server = start(mode)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          server.baseUri().resolve("/.well-known/oauth-protected-resource"))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Object> metadata = json(response.body());
      assertThat(metadata)
          .containsEntry("resource", server.url().toString())
          .containsEntry("authorization_servers", java.util.List.of("https://issuer.example.com"));
      assertThat(server.requests())
          .singleElement()
          .satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }
  }
}
