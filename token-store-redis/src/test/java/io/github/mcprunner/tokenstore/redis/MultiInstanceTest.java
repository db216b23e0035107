package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.oauth.ClientAuthentication;
import io.github.mcprunner.headers.oauth.OAuthTokenException;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Several instances of a service (each its own runner, provider and store) sharing one real Redis,
 * exchanging tokens at the real mock-oauth2-server for the embedded MCP servers.
 */
class MultiInstanceTest {
  private static RedisServer redis;
  private static Idp idp;
  private static EmbeddedMcpServer crm;
  private static EmbeddedMcpServer tickets;
  private static final Map<String, String> userTokens = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    idp = new Idp(Clock.systemUTC());
    crm = server();
    tickets = server();
  }

  private static EmbeddedMcpServer server() {
    return EmbeddedMcpServer.builder()
        .mode(EmbeddedMcpServer.Mode.STATELESS)
        .defaultTools()
        // Only exchanged tokens: never a user's own token passed through.
        .requireBearerToken(token -> !userTokens.containsValue(token))
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {crm, tickets, idp, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @BeforeEach
  void clean() {
    redis.flush();
    idp.takeExchanges();
    crm.clearRequests();
    tickets.clearRequests();
    logs.start();
    for (String name :
        List.of("io.github.mcprunner.tokenstore.redis", "io.github.mcprunner.headers.oauth")) {
      ((Logger) LoggerFactory.getLogger(name)).addAppender(logs);
    }
  }

  @AfterEach
  void closeInstances() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    for (String name :
        List.of("io.github.mcprunner.tokenstore.redis", "io.github.mcprunner.headers.oauth")) {
      ((Logger) LoggerFactory.getLogger(name)).detachAppender(logs);
    }
  }

  /**
   * One instance of the service: its own store client, provider and runner; {@code whenUnavailable}
   * null for an instance without a shared store.
   */
  private Runner instance(RedisTokenStore.@Nullable WhenUnavailable whenUnavailable) {
    TokenExchangeHeadersProvider.Builder provider =
        TokenExchangeHeadersProvider.builder()
            .tokenEndpoint(idp.tokenEndpoint())
            .clientAuthentication(ClientAuthentication.clientSecretBasic("service", "s3cret"))
            .maxAttempts(1);
    if (whenUnavailable == null) {
      Runner runner =
          Runners.builder().discoverHeaderProviders(false).headerProvider(provider.build()).build();
      open.add(runner);
      return runner;
    }
    RedisTokenStore store =
        RedisTokenStore.builder()
            .uri(redis.uri())
            .encryptionKey("k1", RedisTokenStoreTest.KEY_1)
            .whenUnavailable(whenUnavailable)
            // Generous: the build machine may be busy; Redis down is seen at once (refused).
            .timeout(Duration.ofSeconds(15))
            .build();
    open.add(store);
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .headerProvider(provider.tokenStore(store).build())
            .build();
    open.add(runner);
    return runner;
  }

  private static Agent agent(EmbeddedMcpServer server) {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(McpServerSpec.builder(server == crm ? "crm" : "tickets", server.url()).build())
        .build();
  }

  private static String userToken(String user) {
    return userTokens.computeIfAbsent(user, idp::userToken);
  }

  private static CompletableFuture<?> run(Runner runner, EmbeddedMcpServer server, String user) {
    return runner.runAsync(
        agent(server),
        "who am I",
        RunOptions.builder()
            .context(ContextKey.SUBJECT_TOKEN, userToken(user))
            .context(ContextKey.USER_ID, user)
            .mcpHeaders(McpHeaders.of("X-Run", user))
            .build());
  }

  /** Runs every user on every instance for both servers at once; returns the exchanges made. */
  private List<Idp.Exchange> runAll(List<Runner> instances, int users) throws Exception {
    List<CompletableFuture<?>> runs = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (Runner instance : instances) {
        runs.add(run(instance, crm, "user-" + u));
        runs.add(run(instance, tickets, "user-" + u));
      }
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    return idp.takeExchanges();
  }

  @Test
  void twoInstancesMakeOneTokenRequestPerUserAndServerAndEveryRequestCarriesItsUsersToken()
      throws Exception {
    List<Runner> instances =
        List.of(
            instance(RedisTokenStore.WhenUnavailable.FAIL_CLOSED),
            instance(RedisTokenStore.WhenUnavailable.FAIL_CLOSED));

    List<Idp.Exchange> exchanges = runAll(instances, 200);

    Map<Idp.Exchange, Long> perUserAndServer =
        exchanges.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perUserAndServer).hasSize(400);
    assertThat(perUserAndServer.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    List<String> sentTokens = new ArrayList<>();
    for (EmbeddedMcpServer server : List.of(crm, tickets)) {
      List<RecordedRequest> requests = server.requests();
      assertThat(requests.stream().filter(r -> r.isToolCall("whoami")).count()).isEqualTo(400);
      for (RecordedRequest request : requests) {
        assertThat(request.status()).as(request.toString()).isNotIn(401, 403);
        String token = request.header("Authorization").orElseThrow().substring("Bearer ".length());
        assertThat(Idp.claims(token).getSubject()).isEqualTo(request.header("X-Run").orElseThrow());
        assertThat(Idp.claims(token).getAudience()).containsExactly(server.url().toString());
        sentTokens.add(token);
      }
    }
    // Nothing in Redis can be read without the key: no token, no user, no server in any key or
    // value.
    Map<String, String> contents = redis.contents();
    assertThat(contents.keySet()).filteredOn(k -> k.contains(":token:")).hasSize(400);
    for (Map.Entry<String, String> entry : contents.entrySet()) {
      assertThat(entry.getKey()).doesNotContain("user-", "127.0.0.1");
      assertThat(entry.getValue()).doesNotContain("user-", "127.0.0.1");
    }
    // Each token's signature (and claims) would show in a value stored in clear, even in base64.
    for (String token : sentTokens.stream().distinct().toList()) {
      String signature = token.substring(token.lastIndexOf('.') + 1);
      String claims = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
      assertThat(contents.values()).noneMatch(v -> v.contains(signature) || v.contains(claims));
    }
    assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
  }

  @Test
  void tokenRequestsPerUserAndServerWithOneTwoAndFourInstances() throws Exception {
    int users = 5;
    StringBuilder figures =
        new StringBuilder("token requests per user × server (shared / each alone):");
    for (int count : new int[] {1, 2, 4}) {
      double[] perUserAndServer = new double[2];
      for (int shared = 0; shared < 2; shared++) {
        redis.flush();
        List<Runner> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          instances.add(
              shared == 0 ? instance(RedisTokenStore.WhenUnavailable.FAIL_CLOSED) : instance(null));
        }
        perUserAndServer[shared] = runAll(instances, users).size() / (users * 2.0);
        for (Runner instance : instances) {
          instance.close();
        }
      }
      figures.append(
          String.format(
              " %d instance(s) -> %.2f / %.2f;", count, perUserAndServer[0], perUserAndServer[1]));
      assertThat(perUserAndServer[0]).isEqualTo(1.0);
      assertThat(perUserAndServer[1]).as("without a shared store").isEqualTo(count);
    }
    System.out.println(figures);
  }

  @Test
  void redisDownFailsClosedNothingSentThenSharedAgainWhenBack() throws Exception {
    Runner a = instance(RedisTokenStore.WhenUnavailable.FAIL_CLOSED);
    Runner b = instance(RedisTokenStore.WhenUnavailable.FAIL_CLOSED);
    run(a, crm, "warm").get(30, TimeUnit.SECONDS);
    redis.kill();
    try {
      crm.clearRequests();
      assertThatThrownBy(() -> run(b, crm, "cold").get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(OAuthTokenException.class)
          .hasMessageContaining("'oauth-token-exchange'")
          .hasMessageContaining("'crm'")
          .hasMessageContaining("the token store failed: Redis at 127.0.0.1:")
          .hasMessageNotContaining(userToken("cold"));
      assertThat(crm.requests()).as("nothing is sent without a token").isEmpty();
      assertThat(idp.takeExchanges()).extracting(Idp.Exchange::user).containsExactly("warm");
    } finally {
      redis.restart();
    }
    awaitRedis();
    run(a, crm, "back").get(30, TimeUnit.SECONDS);
    run(b, crm, "back").get(30, TimeUnit.SECONDS);
    assertThat(idp.takeExchanges()).as("shared again: one exchange for both instances").hasSize(1);
  }

  @Test
  void redisDownWithLocalFallbackWarnsOnceServesFromMemoryThenSharesAgainWhenBack()
      throws Exception {
    Runner a = instance(RedisTokenStore.WhenUnavailable.LOCAL_ONLY);
    Runner b = instance(RedisTokenStore.WhenUnavailable.LOCAL_ONLY);
    redis.kill();
    try {
      for (int i = 0; i < 3; i++) {
        run(a, crm, "solo-" + i).get(30, TimeUnit.SECONDS);
        run(b, crm, "solo-" + i).get(30, TimeUnit.SECONDS);
      }
      assertThat(idp.takeExchanges()).as("each instance on its own").hasSize(6);
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .as("one warning per instance")
          .hasSize(2)
          .allSatisfy(
              e -> assertThat(e.getFormattedMessage()).contains("carries on with its own memory"));
    } finally {
      redis.restart();
    }
    awaitRedis();
    run(a, crm, "together").get(30, TimeUnit.SECONDS);
    run(b, crm, "together").get(30, TimeUnit.SECONDS);
    assertThat(idp.takeExchanges()).as("shared again").hasSize(1);
  }

  /** Waits (bounded) until every store of this test reaches the restarted Redis. */
  private void awaitRedis() {
    for (AutoCloseable c : open) {
      if (c instanceof RedisTokenStore) {
        RedisTokenStoreTest.awaitAnswers((RedisTokenStore) c);
      }
    }
  }
}
