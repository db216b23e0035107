package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.StoredToken;
import io.github.mcprunner.headers.oauth.store.TokenKey;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Token caches of several "instances" in front of one shared {@link TokenStore}. */
class SharedTokenStoreTest {
  private final Clock clock = Clock.systemUTC();

  private TokenCache instance(TokenFetcher fetcher, TokenStore store, ExecutorService pool) {
    return new TokenCache("test", fetcher, clock, pool, 1000, Duration.ofSeconds(10), store);
  }

  @Test
  void manyInstancesMakeOneTokenRequestPerKeyAndAllSeeTheSameToken() throws Exception {
    TokenStore store = TokenStore.inMemory(1000);
    Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    TokenFetcher fetcher =
        (key, server) -> {
          int n =
              requests
                  .computeIfAbsent(key.subjectToken(), k -> new AtomicInteger())
                  .incrementAndGet();
          long now = clock.millis();
          return IssuedToken.of(key.subjectToken() + "-token-" + n, now + 600_000, now + 300_000);
        };
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<TokenCache> instances = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        instances.add(instance(fetcher, store, pool));
      }
      List<Future<String>> results = new ArrayList<>();
      ExecutorService callers = Executors.newFixedThreadPool(32);
      for (int user = 0; user < 50; user++) {
        for (TokenCache instance : instances) {
          CacheKey key = new CacheKey("user-" + user, "client", null, "https://crm/mcp", null);
          results.add(callers.submit(() -> instance.get(key, "crm").value()));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo("user-" + (i / 4) + "-token-1");
      }
      callers.shutdown();
      assertThat(requests).hasSize(50);
      assertThat(requests.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aTokenDroppedByOneInstanceIsDroppedFromTheStoreUnlessReplacedMeanwhile() throws Exception {
    TokenStore store = TokenStore.inMemory(10);
    AtomicInteger requests = new AtomicInteger();
    TokenFetcher fetcher =
        (key, server) -> {
          long now = clock.millis();
          return IssuedToken.of("t" + requests.incrementAndGet(), now + 600_000, now + 300_000);
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      TokenCache a = instance(fetcher, store, pool);
      TokenCache b = instance(fetcher, store, pool);
      CacheKey key = new CacheKey("alice", "client", null, "https://crm/mcp", null);
      assertThat(a.get(key, "crm").value()).isEqualTo("t1");
      assertThat(b.get(key, "crm").value()).isEqualTo("t1");
      a.invalidate(key); // the server refused t1
      assertThat(a.get(key, "crm").value()).isEqualTo("t2");
      b.invalidate(key); // b held t1 still: t2, stored by a meanwhile, stays
      assertThat(b.get(key, "crm").value()).isEqualTo("t2");
      assertThat(requests.get()).isEqualTo(2);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aNewInstanceFindsTheStoredTokenWithItsRefreshToken() throws Exception {
    TokenStore store = TokenStore.inMemory(10);
    CacheKey key = new CacheKey("alice", "client", null, "https://crm/mcp", "read");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      TokenFetcher none =
          (k, s) -> {
            throw new TokenFetchException("no token endpoint here");
          };
      long now = clock.millis();
      instance(none, store, pool).put(key, IssuedToken.of("at", now + 60_000, now + 30_000, "rt"));
      IssuedToken found = instance(none, store, pool).stored(key);
      assertThat(found).isNotNull();
      assertThat(found.value()).isEqualTo("at");
      assertThat(found.refreshToken()).isEqualTo("rt");
      assertThat(found.expiresAtMillis()).isEqualTo(now + 60_000);
      assertThat(
              instance(none, store, pool)
                  .stored(new CacheKey("bob", "client", null, "https://crm/mcp", "read")))
          .isNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void tokensOfTheAuthorizationCodeGrantAreStoredPerRunIdentity() throws Exception {
    TokenStore store = TokenStore.inMemory(10);
    CacheKey alice = CacheKey.forIdentity("alice", "client", "https://crm/mcp", "read");
    CacheKey bob = CacheKey.forIdentity("bob", "client", "https://crm/mcp", "read");
    // A subject token spelled like an identity names another entry, never the identity's.
    CacheKey aliceAsSubject = new CacheKey("alice", "client", null, "https://crm/mcp", "read");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      TokenFetcher none =
          (k, s) -> {
            throw new TokenFetchException("no token endpoint here");
          };
      long now = clock.millis();
      instance(none, store, pool).put(alice, IssuedToken.of("at-a", now + 60_000, now + 30_000));
      TokenCache restarted = instance(none, store, pool);
      assertThat(restarted.stored(alice)).isNotNull();
      assertThat(restarted.stored(alice).value()).isEqualTo("at-a");
      assertThat(restarted.stored(bob)).isNull();
      assertThat(restarted.stored(aliceAsSubject)).isNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void anExpiredTokenIsKeptOnlyWhileItCarriesARefreshToken() throws Exception {
    TokenStore store = TokenStore.inMemory(10);
    CacheKey alice = new CacheKey("alice", "client", null, "https://crm/mcp", null);
    CacheKey bob = new CacheKey("bob", "client", null, "https://crm/mcp", null);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      TokenFetcher none =
          (k, s) -> {
            throw new TokenFetchException("no token endpoint here");
          };
      TokenCache cache = instance(none, store, pool);
      long past = clock.millis() - 1_000;
      cache.put(alice, IssuedToken.of("at-a", past, past, "rt-a"));
      cache.put(bob, IssuedToken.of("at-b", past, past));
      TokenCache restarted = instance(none, store, pool);
      assertThat(restarted.stored(alice).refreshToken()).isEqualTo("rt-a");
      assertThat(restarted.stored(bob)).isNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aFailingStoreFailsTheResolutionClosedWithAClearError() {
    TokenStore down = new FailingStore();
    AtomicInteger requests = new AtomicInteger();
    TokenFetcher fetcher =
        (key, server) -> {
          requests.incrementAndGet();
          long now = clock.millis();
          return IssuedToken.of("t", now + 600_000, now + 300_000);
        };
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      TokenCache cache = instance(fetcher, down, pool);
      CacheKey key = new CacheKey("alice", "client", null, "https://crm/mcp", null);
      assertThatThrownBy(() -> cache.get(key, "crm"))
          .isInstanceOf(TokenFetchException.class)
          .hasMessage("the token store failed: redis is down");
      assertThat(requests.get()).isZero();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theInMemoryStoreKeepsRegistrationsByIssuerAndLeasesExclusive() {
    TokenStore store = TokenStore.inMemory(10);
    store.putRegistration(ClientRegistration.of("https://as1", "c1", "s1", "client_secret_basic"));
    assertThat(store.getRegistration("https://as1").clientId()).isEqualTo("c1");
    assertThat(store.getRegistration("https://as2")).isNull();
    store.removeRegistration("https://as1", "another");
    assertThat(store.getRegistration("https://as1")).isNotNull();
    store.removeRegistration("https://as1", "c1");
    assertThat(store.getRegistration("https://as1")).isNull();

    TokenKey key = TokenKey.of("p", "alice", "https://crm/mcp", "");
    TokenStore.Lease lease = store.tryLease(key, Duration.ofMinutes(1));
    assertThat(lease).isNotNull();
    assertThat(store.tryLease(key, Duration.ofMinutes(1))).isNull();
    lease.close();
    assertThat(store.tryLease(key, Duration.ofMinutes(1))).isNotNull();
    assertThat(TokenKey.of("p", "bob", "https://crm/mcp", "").id()).isNotEqualTo(key.id());
    assertThat(key.id()).doesNotContain("alice");
  }

  /** A store whose backend is down: every call fails. */
  private static final class FailingStore implements TokenStore {
    @Override
    public @Nullable StoredToken getToken(TokenKey key) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public void putToken(TokenKey key, StoredToken token) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public void removeToken(TokenKey key, String accessToken) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public @Nullable ClientRegistration getRegistration(String issuer) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public void putRegistration(ClientRegistration registration) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public void removeRegistration(String issuer, String clientId) {
      throw new TokenStoreException("redis is down");
    }

    @Override
    public @Nullable Lease tryLease(TokenKey key, Duration ttl) {
      throw new TokenStoreException("redis is down");
    }
  }
}
