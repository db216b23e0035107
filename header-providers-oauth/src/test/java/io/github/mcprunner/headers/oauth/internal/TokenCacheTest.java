package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.oauth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final CacheKey KEY = new CacheKey(null, "client", null, "res", null);

  @Test
  void afterAFailedRefreshTheNextAttemptWaitsAFewSecondsInsteadOfEveryRequest() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean down = new AtomicBoolean();
    TokenFetcher fetcher =
        (key, server) -> {
          attempts.incrementAndGet();
          if (down.get()) {
            throw new TokenFetchException("could not connect to the token endpoint");
          }
          long now = clock.millis();
          return IssuedToken.of("token-" + attempts.get(), now + 120_000, now + 60_000);
        };
    TokenCache cache =
        new TokenCache("test", fetcher, clock, Runnable::run, 10, Duration.ofSeconds(5));
    IssuedToken first = cache.get(KEY, "crm");
    down.set(true);

    clock.advance(Duration.ofSeconds(60));
    assertThat(cache.get(KEY, "crm")).isSameAs(first); // refresh tried, failed
    assertThat(attempts.get()).isEqualTo(2);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(cache.get(KEY, "crm")).isSameAs(first);
    }
    assertThat(attempts.get()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1)); // 5 s later: tried again
    assertThat(cache.get(KEY, "crm")).isSameAs(first);
    assertThat(attempts.get()).isEqualTo(3);

    down.set(false);
    clock.advance(Duration.ofSeconds(5));
    assertThat(cache.get(KEY, "crm")).isSameAs(first); // this refresh succeeds
    assertThat(cache.get(KEY, "crm").value()).isEqualTo("token-4");
  }

  @Test
  void aFailedFetchIsNotCachedAndEveryWaiterSeesItsReason() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    AtomicInteger attempts = new AtomicInteger();
    TokenFetcher failing =
        (key, server) -> {
          attempts.incrementAndGet();
          throw new TokenFetchException(
              "token endpoint answered HTTP 400", "invalid_grant", 400, null);
        };
    TokenCache cache =
        new TokenCache("test", failing, clock, Runnable::run, 10, Duration.ofSeconds(5));

    assertThatThrownBy(() -> cache.get(KEY, "crm")).hasMessage("token endpoint answered HTTP 400");
    assertThatThrownBy(() -> cache.get(KEY, "crm")).hasMessage("token endpoint answered HTTP 400");
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void keysAndTokensDescribeThemselvesWithoutSecrets() {
    CacheKey key = new CacheKey("subject-token-secret", "client", "aud", "res", "scope");
    IssuedToken token = IssuedToken.of("issued-token-secret", 2_000, 1_000);

    assertThat(key.toString()).doesNotContain("subject-token-secret").contains("client", "aud");
    assertThat(token.toString()).doesNotContain("issued-token-secret");
    assertThat(token.headers().toString()).doesNotContain("issued-token-secret");
  }
}
