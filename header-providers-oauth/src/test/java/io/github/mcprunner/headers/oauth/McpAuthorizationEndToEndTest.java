package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery through the runner: the embedded MCP server answers 401 with a challenge naming its
 * protected resource metadata, which names the real mock-oauth2-server; the provider discovers it,
 * obtains a client credentials token for the server and the runner retries with it.
 */
class McpAuthorizationEndToEndTest {
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

  @Test
  void firstRequestIsRefusedThenEveryRequestCarriesATokenDiscoveredFromTheServersChallenge()
      throws Exception {
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .requireBearerToken(McpAuthorizationEndToEndTest::isTokenFromIdp)
                .authorizationServer(idp.issuer())
                .start();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(
                    McpAuthorizationHeadersProvider.clientCredentials(
                            ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
                        .clock(clock)
                        .maxAttempts(1)
                        .build())
                .build()) {
      idp.takeAllPaths();
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .callTool("add", "{\"a\":1,\"b\":2}")
                      .answer(ScriptedModel::lastToolOutput)
                      .build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();

      String first = runner.run(agent, "hi", RunOptions.defaults()).finalOutput();
      String second = runner.run(agent, "again", RunOptions.defaults()).finalOutput();

      assertThat(first).isEqualTo("3");
      assertThat(second).isEqualTo("3");
      List<RecordedRequest> requests =
          server.requests().stream().filter(r -> r.path().equals("/mcp")).toList();
      assertThat(server.requests())
          .filteredOn(r -> r.path().startsWith("/.well-known/"))
          .as("the metadata the challenge names is read once")
          .hasSize(1);
      assertThat(requests.stream().filter(r -> r.status() == 401).count())
          .as("one 401 starts discovery; every later request carries the token")
          .isEqualTo(1);
      String canonical = server.url().toString();
      for (RecordedRequest request : requests) {
        if (request.status() == 401) {
          assertThat(request.header("Authorization")).isEmpty();
          continue;
        }
        JWTClaimsSet claims =
            TestIdp.claims(request.header("Authorization").orElseThrow().substring(7));
        assertThat(claims.getAudience()).containsExactly(canonical);
        assertThat(claims.getSubject()).isEqualTo(ClientAuthCase.CLIENT_ID);
      }
      List<TestIdp.TokenRequestRecord> tokenRequests = idp.takeRecordedTokenRequests();
      assertThat(tokenRequests).hasSize(1);
      Map<String, List<String>> form = tokenRequests.get(0).form();
      assertThat(form.get("grant_type")).containsExactly("client_credentials");
      assertThat(form.get("resource")).containsExactly(canonical);
    }
  }

  private static boolean isTokenFromIdp(String token) {
    try {
      return TestIdp.claims(token).getIssuer().equals(idp.issuer().toString());
    } catch (AssertionError e) {
      return false;
    }
  }
}
