package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token exchange through the runner: every request of each user's run reaches the embedded MCP
 * server with a token exchanged for that user and that server, never the user's own token.
 */
class OAuthRunnerEndToEndTest {
  private static final MutableClock clock = MutableClock.startingNow();
  private static TestIdp idp;

  @BeforeAll
  static void startIdp() {
    idp = new TestIdp(clock);
  }

  @AfterAll
  static void stopIdp() {
    idp.close();
  }

  private static TokenExchangeHeadersProvider exchange(URI tokenEndpoint) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(tokenEndpoint)
        .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
        .clock(clock)
        .maxAttempts(1)
        .build();
  }

  private static Agent agent(EmbeddedMcpServer server) {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .callTool("list_tickets", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
        .build();
  }

  private static RunOptions runOf(String user, String userToken, String runTag) {
    return RunOptions.builder()
        .context(ContextKey.SUBJECT_TOKEN, userToken)
        .context(ContextKey.USER_ID, user)
        .mcpHeaders(McpHeaders.of("X-Run", runTag))
        .build();
  }

  @Test
  void everyRequestOfEachUsersRunCarriesATokenForThatUserAndThatServer() throws Exception {
    Set<String> userTokens = ConcurrentHashMap.newKeySet();
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .requireBearerToken(token -> !userTokens.contains(token))
                .start();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(exchange(idp.tokenEndpoint()))
                .build()) {
      Map<String, String> tokenOfUser =
          Map.of(
              "alice",
              idp.userToken("alice"),
              "bob",
              idp.userToken("bob"),
              "carol",
              idp.userToken("carol"));
      userTokens.addAll(tokenOfUser.values());
      List<CompletableFuture<?>> runs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        for (Map.Entry<String, String> user : tokenOfUser.entrySet()) {
          runs.add(
              runner.runAsync(
                  agent(server),
                  "my tickets",
                  runOf(user.getKey(), user.getValue(), user.getKey() + "-" + i)));
        }
      }
      for (CompletableFuture<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
      runner.close();

      String canonical = server.url().toString();
      List<io.github.mcprunner.testkit.RecordedRequest> requests = server.requests();
      assertThat(requests.stream().filter(r -> "tools/call".equals(r.mcpMethod())).count())
          .isEqualTo(30);
      for (io.github.mcprunner.testkit.RecordedRequest request : requests) {
        String run = request.header("X-Run").orElseThrow();
        String user = run.substring(0, run.indexOf('-'));
        String authorization = request.header("Authorization").orElseThrow();
        assertThat(authorization).startsWith("Bearer ");
        String token = authorization.substring("Bearer ".length());
        assertThat(userTokens)
            .as("the user's own token is never passed through")
            .doesNotContain(token);
        JWTClaimsSet claims = TestIdp.claims(token);
        assertThat(claims.getSubject()).as(request.toString()).isEqualTo(user);
        assertThat(claims.getAudience()).containsExactly(canonical);
        assertThat(request.status()).isNotEqualTo(401);
      }
      // One exchange per user: the cache serves every later request of that user.
      assertThat(idp.takeRecordedTokenRequests()).hasSize(3);
    }
  }

  @Test
  void idpDownFailsTheRunAndNothingReachesTheMcpServer() throws Exception {
    URI deadEndpoint;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadEndpoint = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/token");
    }
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(exchange(deadEndpoint))
                .build()) {
      String userToken = idp.userToken("alice");
      assertThatThrownBy(
              () -> runner.run(agent(server), "hi", runOf("alice", userToken, "alice-0")))
          .isInstanceOf(OAuthTokenException.class)
          .hasMessageContaining("'oauth-token-exchange'")
          .hasMessageContaining("'tickets'")
          .hasMessageContaining("token endpoint")
          .hasMessageNotContaining(userToken);
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void unauthorizedFromTheMcpServerRefreshesTheTokenOnceAndRetries() throws Exception {
    Set<String> refused = ConcurrentHashMap.newKeySet();
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                // The first exchanged token the server sees is refused (as if revoked).
                .requireBearerToken(
                    token -> refused.isEmpty() ? !refused.add(token) : !refused.contains(token))
                .start();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(exchange(idp.tokenEndpoint()))
                .build()) {
      idp.takeRecordedTokenRequests();
      String result =
          runner
              .run(agent(server), "hi", runOf("dave", idp.userToken("dave"), "dave-0"))
              .finalOutput();

      assertThat(result).isNotEmpty();
      assertThat(server.requests().stream().filter(r -> r.status() == 401).count()).isEqualTo(1);
      assertThat(idp.takeRecordedTokenRequests()).as("one exchange, then one refresh").hasSize(2);
    }
  }
}
