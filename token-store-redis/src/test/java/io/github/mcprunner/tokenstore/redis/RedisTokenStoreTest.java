package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.StoredToken;
import io.github.mcprunner.headers.oauth.store.TokenKey;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The store against a real Redis of the test's own. */
class RedisTokenStoreTest {
  static final byte[] KEY_1 =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final byte[] KEY_2 =
      "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

  private static RedisServer redis;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void capture() {
    redis.flush();
    logs.start();
    ((Logger) LoggerFactory.getLogger(RedisTokenStore.class)).addAppender(logs);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(RedisTokenStore.class)).detachAppender(logs);
  }

  private RedisTokenStore.Builder store() {
    return RedisTokenStore.builder().uri(redis.uri()).encryptionKey("k1", KEY_1);
  }

  private static StoredToken token(String access, String refresh, Duration lifetime) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return StoredToken.of(
        access, now.plus(lifetime), now.plus(lifetime.dividedBy(2)), refresh, "a b");
  }

  private static final TokenKey ALICE = TokenKey.of("p", "alice", "https://crm/mcp", "scope=a b");

  @Test
  void refusesToStartWithoutAKeyUnlessToldToStoreInClear() {
    assertThatThrownBy(() -> RedisTokenStore.builder().uri(redis.uri()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no encryption key")
        .hasMessageContaining("storeInClear(true)");
    assertThatThrownBy(
            () ->
                RedisTokenStore.builder().uri(redis.uri()).encryptionKey("k", new byte[10]).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encryption key 'k' must be 16, 24 or 32 bytes (AES), not 10");
    try (RedisTokenStore clear =
        RedisTokenStore.builder().uri(redis.uri()).storeInClear(true).build()) {
      clear.putToken(ALICE, token("at-clear", null, Duration.ofMinutes(5)));
      assertThat(clear.getToken(ALICE).accessToken()).isEqualTo("at-clear");
    }
  }

  @Test
  void aMalformedUriIsRefusedWithoutItsPasswordInTheMessageOrTheCause() {
    for (String uri :
        new String[] {
          "redis://user:hunter2@redis host:6379", "redis://:hunter2@[::1", "rediss://:hunter2@"
        }) {
      Throwable thrown = catchThrowable(() -> RedisTokenStore.builder().uri(uri));
      assertThat(thrown)
          .as(uri)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "the Redis uri is not a valid Redis URI (redis://[user:password@]host[:port][/db],"
                  + " rediss:// for TLS); the URI is not repeated here, it may hold a password");
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).as(uri).doesNotContain("hunter2");
      }
    }
  }

  @Test
  void tokensAndRegistrationsRoundTripEncryptedUnderDigestKeysWithATtl() {
    try (RedisTokenStore store = store().build()) {
      StoredToken token = token("at-secret-1", "rt-secret-1", Duration.ofMinutes(10));
      store.putToken(ALICE, token);
      TokenKey shortLived = TokenKey.of("p", "bob", "https://crm/mcp", "");
      long shortLivedCreated = System.nanoTime();
      store.putToken(shortLived, token("at-secret-2", null, Duration.ofMinutes(10)));
      store.putRegistration(
          ClientRegistration.of(
              "https://as.example", "client-1", "cs-secret", "client_secret_basic"));

      assertThat(store.getToken(ALICE)).isEqualTo(token);
      assertThat(store.getToken(TokenKey.of("p", "carol", "https://crm/mcp", "scope=a b")))
          .isNull();
      assertThat(store.getRegistration("https://as.example").clientSecret()).isEqualTo("cs-secret");
      assertThat(store.getRegistration("https://other.example")).isNull();

      Map<String, String> contents = redis.contents();
      assertThat(contents).hasSize(3);
      for (Map.Entry<String, String> entry : contents.entrySet()) {
        assertThat(entry.getKey())
            .startsWith("mcp-runner:")
            .doesNotContain("alice", "bob", "crm", "as.example");
        assertThat(entry.getValue())
            .startsWith("v1.k1.")
            .doesNotContain("secret", "client-1", "https://");
      }
      String shortKey = "mcp-runner:token:" + shortLived.id();
      long ttl = redis.pttl(shortKey);
      // Its expiry, less the time since the token was made (measured: the reads above start
      // Redis clients of their own, seconds on a loaded machine), and a few ms of rounding.
      long since = Duration.ofNanos(System.nanoTime() - shortLivedCreated).toMillis() + 5;
      assertThat(ttl).isBetween(600_000L - since, 600_000L);
      assertThat(redis.pttl("mcp-runner:token:" + ALICE.id()))
          .as("a token with a refresh token outlives its expiry")
          .isGreaterThan(Duration.ofDays(29).toMillis());
    }
  }

  @Test
  void removalsOnlyTakeWhatTheCallerHeld() {
    try (RedisTokenStore store = store().build()) {
      store.putToken(ALICE, token("at-2", null, Duration.ofMinutes(10)));
      store.removeToken(ALICE, "at-1");
      assertThat(store.getToken(ALICE)).isNotNull();
      store.removeToken(ALICE, "at-2");
      assertThat(store.getToken(ALICE)).isNull();

      store.putRegistration(ClientRegistration.of("https://as", "c2", null, "none"));
      store.removeRegistration("https://as", "c1");
      assertThat(store.getRegistration("https://as")).isNotNull();
      store.removeRegistration("https://as", "c2");
      assertThat(store.getRegistration("https://as")).isNull();
    }
  }

  @Test
  void theLeaseIsExclusiveAcrossStoresBoundedInTimeAndReleasedOnlyByItsOwner() throws Exception {
    try (RedisTokenStore a = store().build();
        RedisTokenStore b = store().build()) {
      TokenStore.Lease lease = a.tryLease(ALICE, Duration.ofSeconds(30));
      assertThat(lease).isNotNull();
      assertThat(b.tryLease(ALICE, Duration.ofSeconds(30))).isNull();
      assertThat(redis.pttl("mcp-runner:lease:" + ALICE.id())).isBetween(1L, 30_000L);
      lease.close();
      TokenStore.Lease second = b.tryLease(ALICE, Duration.ofSeconds(30));
      assertThat(second).isNotNull();
      lease.close(); // a's lease is over: releasing it again must not release b's
      assertThat(a.tryLease(ALICE, Duration.ofSeconds(30))).isNull();
      second.close();
      assertThat(a.tryLease(ALICE, Duration.ofSeconds(30))).isNotNull();
    }
  }

  @Test
  void keysRotateValuesUnderAnUnknownKeyAreIgnoredWithAWarning() {
    try (RedisTokenStore old = store().build()) {
      old.putToken(ALICE, token("at-old", null, Duration.ofMinutes(10)));
    }
    try (RedisTokenStore rotated = store().encryptionKey("k2", KEY_2).currentKey("k2").build()) {
      assertThat(rotated.getToken(ALICE).accessToken())
          .as("read with the old key")
          .isEqualTo("at-old");
      rotated.putToken(ALICE, token("at-new", null, Duration.ofMinutes(10)));
      assertThat(redis.contents().values()).singleElement().asString().startsWith("v1.k2.");
    }
    try (RedisTokenStore stranger =
        RedisTokenStore.builder().uri(redis.uri()).encryptionKey("k3", KEY_1).build()) {
      assertThat(stranger.getToken(ALICE)).isNull();
    }
    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("encrypted with key 'k2', which is not configured")
                  .doesNotContain("at-new");
            });
    try (RedisTokenStore clear =
        RedisTokenStore.builder().uri(redis.uri()).storeInClear(true).build()) {
      clear.putToken(ALICE, token("planted", null, Duration.ofMinutes(10)));
    }
    try (RedisTokenStore store = store().build()) {
      assertThat(store.getToken(ALICE))
          .as("a value in clear is never trusted when encrypting")
          .isNull();
    }
  }

  @Test
  void aValueMovedToAnotherKeyDoesNotDecrypt() {
    TokenKey bob = TokenKey.of("p", "bob", "https://crm/mcp", "scope=a b");
    try (RedisTokenStore store = store().build()) {
      store.putToken(ALICE, token("alice-token", null, Duration.ofMinutes(10)));
      String value = redis.contents().get("mcp-runner:token:" + ALICE.id());
      store.putToken(bob, token("bob-token", null, Duration.ofMinutes(10)));
      redis.flush();
      // Bob's key now holds Alice's ciphertext: it must not be taken for bob's token.
      io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
      try (var connection = client.connect()) {
        connection.sync().set("mcp-runner:token:" + bob.id(), value);
      } finally {
        client.shutdown();
      }
      assertThat(store.getToken(bob)).isNull();
    }
  }

  @Test
  void redisDownFailsClosedWithAClearErrorOrCarriesOnLocallyWithOneWarning() throws Exception {
    try (RedisTokenStore closed = store().build();
        RedisTokenStore local =
            store().whenUnavailable(RedisTokenStore.WhenUnavailable.LOCAL_ONLY).build()) {
      closed.putToken(ALICE, token("at-1", null, Duration.ofMinutes(10)));
      local.putToken(ALICE, token("at-1", null, Duration.ofMinutes(10)));
      redis.kill();
      try {
        assertThatThrownBy(() -> closed.getToken(ALICE))
            .isInstanceOf(TokenStoreException.class)
            .hasMessageStartingWith("Redis at 127.0.0.1:")
            .hasMessageContaining("is unavailable");
        assertThatThrownBy(() -> closed.tryLease(ALICE, Duration.ofSeconds(5)))
            .isInstanceOf(TokenStoreException.class);

        assertThat(local.getToken(ALICE).accessToken()).as("its own memory").isEqualTo("at-1");
        local.putToken(ALICE, token("at-local", null, Duration.ofMinutes(10)));
        assertThat(local.getToken(ALICE).accessToken()).isEqualTo("at-local");
        assertThat(local.tryLease(TokenKey.of("p", "x", "r", ""), Duration.ofSeconds(5)))
            .isNotNull();
        assertThat(local.isDegraded()).isTrue();
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
      } finally {
        redis.restart();
      }
      // Back: shared again (Redis restarted empty; the local store reconnects on its own).
      awaitAnswers(local);
      assertThat(local.isDegraded()).isFalse();
      local.putToken(ALICE, token("at-shared", null, Duration.ofMinutes(10)));
      assertThat(closed.getToken(ALICE).accessToken()).isEqualTo("at-shared");
      assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel() == Level.INFO)
          .singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains("shared again"));
    }
  }

  /** Waits (bounded) until the store reaches Redis again after a restart. */
  static void awaitAnswers(RedisTokenStore store) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    TokenKey probe = TokenKey.of("probe", null, "", "");
    while (true) {
      try {
        store.getToken(probe);
        if (!store.isDegraded()) {
          return;
        }
      } catch (TokenStoreException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the store did not reach Redis again");
      }
      Thread.onSpinWait();
    }
  }
}
