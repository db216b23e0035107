package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.oauth.McpAuthorizationHeadersProvider;
import io.github.mcprunner.headers.oauth.UserAuthorization;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization code grant (MCP authorization) across restarts: both instances are closed and
 * new ones built on the same Redis; the user's next run renews the stored token with the stored
 * refresh token and the stored client registration, without signing in again. Registrations are
 * kept by issuer: one made at one authorization server is never sent to another.
 */
class RestartTest {
  private RedisServer redis;
  private LoopbackAuthorizationServer as1;
  private LoopbackAuthorizationServer as2;
  private EmbeddedMcpServer crm;
  private EmbeddedMcpServer tickets;
  private final TestClock clock = new TestClock();
  private final AtomicInteger signIns = new AtomicInteger();

  /** Plays the user's browser: approves at once (the server redirects back with a code). */
  private final UserAuthorization user =
      (url, context) -> {
        signIns.incrementAndGet();
        try {
          HttpResponse<Void> response =
              HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build()
                  .send(
                      HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
          return url.resolve(response.headers().firstValue("Location").orElseThrow());
        } catch (java.io.IOException e) {
          throw new IllegalStateException("authorization endpoint unreachable");
        }
      };

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    as1 = new LoopbackAuthorizationServer("as1");
    as2 = new LoopbackAuthorizationServer("as2");
    crm = server(as1);
    tickets = server(as2);
  }

  private static EmbeddedMcpServer server(LoopbackAuthorizationServer as) {
    return EmbeddedMcpServer.builder()
        .mode(EmbeddedMcpServer.Mode.STATELESS)
        .defaultTools()
        .requireBearerToken(as.accessTokens::contains)
        .authorizationServer(as.issuer())
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {crm, tickets, as1, as2, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** One instance: a store client, the provider and a runner. */
  private record Instance(RedisTokenStore store, Runner runner) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      runner.close();
      store.close();
    }
  }

  private Instance instance() {
    RedisTokenStore store =
        RedisTokenStore.builder()
            .uri(redis.uri())
            .encryptionKey("k1", RedisTokenStoreTest.KEY_1)
            .build();
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .headerProvider(
                McpAuthorizationHeadersProvider.authorizationCode(
                        user, URI.create("http://127.0.0.1:1/callback"))
                    .authorizationServers(as1.issuer(), as2.issuer())
                    .clock(clock)
                    .maxAttempts(1)
                    .tokenStore(store)
                    .build())
            .build();
    return new Instance(store, runner);
  }

  private static String whoami(
      Instance instance, EmbeddedMcpServer server, String name, String who) {
    Agent agent =
        Agent.builder("support")
            .model(
                ScriptedModel.builder()
                    .callTool("whoami", "{}")
                    .answer(ScriptedModel::lastToolOutput)
                    .build())
            .mcpServer(McpServerSpec.builder(name, server.url()).build())
            .build();
    return instance
        .runner()
        .run(agent, "who am I", RunOptions.builder().identity(who).build())
        .finalOutput();
  }

  @Test
  void afterARestartTheUserIsRenewedWithTheStoredRefreshTokenWithoutSigningInAgain()
      throws Exception {
    try (Instance first = instance();
        Instance second = instance()) {
      assertThat(whoami(first, crm, "crm", "alice")).contains("as1-access-token-");
      assertThat(whoami(second, crm, "crm", "alice")).contains("as1-access-token-");
    }
    assertThat(signIns.get()).as("one sign-in for both instances").isEqualTo(1);
    assertThat(as1.received("/register")).hasSize(1);
    assertThat(as1.received("/token")).hasSize(1);

    clock.advance(Duration.ofMinutes(11)); // the access token has expired meanwhile
    try (Instance restarted = instance()) {
      assertThat(whoami(restarted, crm, "crm", "alice")).contains("as1-access-token-");
    }

    assertThat(signIns.get()).as("no new sign-in after the restart").isEqualTo(1);
    assertThat(as1.received("/register")).as("the stored registration is used").hasSize(1);
    List<LoopbackAuthorizationServer.Received> tokens = as1.received("/token");
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(1).param("grant_type")).isEqualTo("refresh_token");
    assertThat(tokens.get(1).param("refresh_token")).startsWith("as1-refresh-token-");
    assertThat(tokens.get(1).param("client_id")).isEqualTo(tokens.get(0).param("client_id"));
    for (RecordedRequest request : crm.requests()) {
      if (request.path().equals("/mcp") && request.status() != 401) {
        assertThat(request.header("Authorization").orElseThrow())
            .startsWith("Bearer as1-access-token-");
      }
    }
    // What Redis holds is unreadable without the key.
    for (String value : redis.contents().values()) {
      assertThat(value).doesNotContain("as1-", "as2-", "alice", "127.0.0.1");
    }
  }

  @Test
  void aRegistrationMadeAtOneIssuerIsNeverSentToAnotherWhichGetsItsOwn() throws Exception {
    try (Instance instance = instance()) {
      whoami(instance, crm, "crm", "alice");
      whoami(instance, tickets, "tickets", "alice");
    }
    try (Instance restarted = instance()) {
      whoami(restarted, tickets, "tickets", "bob");
      whoami(restarted, crm, "crm", "bob");
    }
    assertThat(as1.received("/register")).as("one registration per issuer, kept").hasSize(1);
    assertThat(as2.received("/register")).hasSize(1);
    for (LoopbackAuthorizationServer.Received r : as1.received) {
      assertThat(String.valueOf(r.params())).doesNotContain("as2-client");
    }
    for (LoopbackAuthorizationServer.Received r : as2.received) {
      assertThat(String.valueOf(r.params())).doesNotContain("as1-client");
    }
    assertThat(as2.received("/token"))
        .extracting(r -> r.param("client_id"))
        .containsOnly("as2-client-1");
    assertThat(as1.received("/token"))
        .extracting(r -> r.param("client_id"))
        .containsOnly("as1-client-1");
    assertThat(
            Map.of(
                "as1", as1.received("/authorize").size(), "as2", as2.received("/authorize").size()))
        .as("each user signs in once per authorization server")
        .containsEntry("as1", 2)
        .containsEntry("as2", 2);
  }
}
