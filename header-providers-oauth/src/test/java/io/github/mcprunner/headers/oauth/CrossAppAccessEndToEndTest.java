package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_SECRET;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.oauth.EnterpriseAuthServers.Answer;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-app access through the runner, the httpclient transport and the embedded MCP server, which
 * accepts only access tokens its authorization server issued for it: each user's runs reach it with
 * that user's token, never the ID token or the ID-JAG; a failure at either step fails the run
 * before anything reaches the MCP server.
 */
class CrossAppAccessEndToEndTest {
  private MutableClock clock;
  private EnterpriseAuthServers servers;
  private EmbeddedMcpServer mcp;
  private String resource;

  @BeforeEach
  void start() throws Exception {
    clock = MutableClock.startingNow();
    servers = new EnterpriseAuthServers(clock);
    mcp =
        EmbeddedMcpServer.builder()
            .mode(EmbeddedMcpServer.Mode.STATEFUL)
            .defaultTools()
            .authorizationServer(servers.asIssuer())
            .requireBearerToken(token -> servers.acceptsAccessToken(token, resource))
            .start();
    resource = mcp.url().toString();
  }

  @AfterEach
  void stop() {
    mcp.close();
    servers.close();
  }

  private CrossAppAccessHeadersProvider.Builder provider() {
    return CrossAppAccessHeadersProvider.builder()
        .idpTokenEndpoint(servers.idpTokenEndpoint())
        .idpPublicClient(IDP_CLIENT_ID)
        .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
        .clock(clock)
        .maxAttempts(1);
  }

  private Runner runner(CrossAppAccessHeadersProvider provider) {
    return Runners.builder().discoverHeaderProviders(false).headerProvider(provider).build();
  }

  private Agent agent() {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .callTool("list_tickets", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(McpServerSpec.builder("tickets", mcp.url()).build())
        .build();
  }

  private static RunOptions runOf(String idToken, String runTag) {
    return RunOptions.builder()
        .context(CrossAppAccessHeadersProvider.ID_TOKEN, idToken)
        .mcpHeaders(McpHeaders.of("X-Run", runTag))
        .build();
  }

  @Test
  void concurrentRunsOfTwoUsersEachReachTheServerWithTheirOwnToken() throws Exception {
    Map<String, String> idTokenOfUser =
        Map.of("alice", servers.idToken("alice"), "bob", servers.idToken("bob"));
    try (Runner runner = runner(provider().issuer(servers.asIssuer()).build())) {
      List<CompletableFuture<?>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        for (Map.Entry<String, String> user : idTokenOfUser.entrySet()) {
          runs.add(
              runner.runAsync(
                  agent(), "my tickets", runOf(user.getValue(), user.getKey() + "-" + i)));
        }
      }
      for (CompletableFuture<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    }

    List<RecordedRequest> requests = mcp.requests();
    assertThat(requests.stream().filter(r -> "tools/call".equals(r.mcpMethod())).count())
        .isEqualTo(16);
    for (RecordedRequest request : requests) {
      String run = request.header("X-Run").orElseThrow();
      String user = run.substring(0, run.indexOf('-'));
      String token = request.header("Authorization").orElseThrow().substring("Bearer ".length());
      assertThat(request.status()).as(request.toString()).isNotEqualTo(401);
      assertThat(servers.verifiedAccessToken(token).getSubject()).isEqualTo(user);
      assertThat(servers.verifiedAccessToken(token).getAudience()).containsExactly(resource);
      assertThat(idTokenOfUser.values()).doesNotContain(token);
    }
    Set<String> idJags = ConcurrentHashMap.newKeySet();
    servers.asRequests().forEach(r -> idJags.add(r.form().get("assertion")));
    for (RecordedRequest request : requests) {
      assertThat(idJags).doesNotContain(request.header("Authorization").orElseThrow().substring(7));
    }
    // One exchange pair per user: the cache serves every later request of that user.
    assertThat(servers.idpRequests()).hasSize(2);
    assertThat(servers.asRequests()).hasSize(2);
  }

  @Test
  void theAuthorizationServerCanBeLocatedFromTheServersProtectedResourceMetadata()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // RFC 9728: the metadata names the resource and its authorization server, whose token
    // endpoint is then discovered by RFC 8414.
    AuthorizationTarget.Locator discovered =
        AuthorizationTarget.discovery().authorizationServers(servers.asIssuer()).build();
    AuthorizationTarget.Locator fromMetadata =
        server -> {
          lookups.incrementAndGet();
          return discovered.locate(server);
        };
    try (Runner runner = runner(provider().authorizationTargets(fromMetadata).build())) {
      String output =
          runner.run(agent(), "who am i", runOf(servers.idToken("carol"), "carol-0")).finalOutput();
      assertThat(output).isNotEmpty();
    }

    assertThat(lookups).hasValue(1);
    assertThat(servers.idpRequests().get(0).form())
        .containsEntry("audience", servers.asIssuer().toString())
        .containsEntry("resource", resource);
    assertThat(mcp.requests()).allSatisfy(r -> assertThat(r.status()).isNotEqualTo(401));
  }

  @Test
  void anIdpFailureFailsTheRunAndNothingReachesTheMcpServer() throws Exception {
    servers.scriptIdp(request -> new Answer(400, "{\"error\":\"invalid_grant\"}"));
    String idToken = servers.idToken("alice");
    try (Runner runner = runner(provider().issuer(servers.asIssuer()).build())) {
      assertThatThrownBy(() -> runner.run(agent(), "hi", runOf(idToken, "alice-0")))
          .isInstanceOf(OAuthTokenException.class)
          .hasMessageContaining("'oauth-cross-app-access'")
          .hasMessageContaining("'tickets'")
          .hasMessageContaining("token exchange for an ID-JAG at the enterprise IdP failed")
          .hasMessageContaining("'invalid_grant'")
          .hasMessageNotContaining(idToken);
    }
    assertThat(servers.asRequests()).isEmpty();
    assertThat(mcp.requests()).isEmpty();
  }

  @Test
  void anAuthorizationServerFailureFailsTheRunAndNothingReachesTheMcpServer() throws Exception {
    servers.scriptAs(request -> new Answer(400, "{\"error\":\"invalid_grant\"}"));
    String idToken = servers.idToken("alice");
    try (Runner runner = runner(provider().issuer(servers.asIssuer()).build())) {
      assertThatThrownBy(() -> runner.run(agent(), "hi", runOf(idToken, "alice-0")))
          .isInstanceOf(OAuthTokenException.class)
          .hasMessageContaining("JWT bearer grant at the MCP authorization server failed")
          .hasMessageContaining("'invalid_grant'")
          .hasMessageNotContaining("token exchange for an ID-JAG")
          .hasMessageNotContaining(idToken);
    }
    assertThat(servers.idpRequests()).hasSize(1);
    assertThat(mcp.requests()).isEmpty();
  }

  @Test
  void unauthorizedFromTheMcpServerRunsTheFlowAgainAndRetriesOnce() throws Exception {
    Set<String> refused = ConcurrentHashMap.newKeySet();
    try (EmbeddedMcpServer revoking =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                // The first token the server sees is refused, as if revoked.
                .requireBearerToken(
                    token -> refused.isEmpty() ? !refused.add(token) : !refused.contains(token))
                .start();
        Runner runner = runner(provider().issuer(servers.asIssuer()).build())) {
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .answer(ScriptedModel::lastToolOutput)
                      .build())
              .mcpServer(McpServerSpec.builder("tickets", revoking.url()).build())
              .build();

      String output =
          runner.run(agent, "hi", runOf(servers.idToken("dave"), "dave-0")).finalOutput();

      assertThat(output).isNotEmpty();
      assertThat(revoking.requests().stream().filter(r -> r.status() == 401).count()).isEqualTo(1);
      assertThat(servers.idpRequests()).as("one flow, then one after the 401").hasSize(2);
      assertThat(servers.asRequests()).hasSize(2);
    }
  }
}
