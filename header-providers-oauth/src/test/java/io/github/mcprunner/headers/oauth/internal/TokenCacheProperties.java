package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.oauth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The cache's rules over arbitrary token lifetimes, margins and clock movements, with an issuer
 * that dates tokens by the same controlled clock (token requests run on the calling thread).
 */
class TokenCacheProperties {
  private static final CacheKey KEY = new CacheKey("subject", "client", "aud", "res", "scope");

  /** Issues tokens valid for a fixed lifetime from the clock's now, counting its requests. */
  private static final class ClockedIssuer implements TokenFetcher {
    final MutableClock clock;
    final long lifetimeMillis;
    final long marginMillis;
    final AtomicInteger requests = new AtomicInteger();

    ClockedIssuer(MutableClock clock, long lifetimeMillis, long marginMillis) {
      this.clock = clock;
      this.lifetimeMillis = lifetimeMillis;
      this.marginMillis = marginMillis;
    }

    @Override
    public IssuedToken fetch(CacheKey key, String serverName) {
      long now = clock.millis();
      long expiresAt = now + lifetimeMillis;
      return IssuedToken.of(
          "token-" + requests.incrementAndGet(),
          expiresAt,
          expiresAt - Math.min(marginMillis, lifetimeMillis / 2));
    }
  }

  private static TokenCache cache(ClockedIssuer issuer) {
    return new TokenCache("test", issuer, issuer.clock, Runnable::run, 100, Duration.ofSeconds(5));
  }

  @Property
  void aReturnedTokenIsNeverExpiredWhateverTheClockDoes(
      @ForAll @IntRange(min = 1, max = 3600) int lifetimeSeconds,
      @ForAll @IntRange(min = 0, max = 120) int marginSeconds,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 4000) Integer> stepsSeconds)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ClockedIssuer issuer = new ClockedIssuer(clock, lifetimeSeconds * 1000L, marginSeconds * 1000L);
    TokenCache cache = cache(issuer);

    for (int step : stepsSeconds) {
      IssuedToken token = cache.get(KEY, "server");
      assertThat(token.isValidAt(clock.millis())).isTrue();
      clock.advance(Duration.ofSeconds(step));
    }
    assertThat(issuer.requests.get()).isLessThanOrEqualTo(2 * stepsSeconds.size() + 1);
  }

  @Property
  void aTokenIsReusedUntilItsRefreshInstantWithoutAnyRequest(
      @ForAll @IntRange(min = 2, max = 3600) int lifetimeSeconds,
      @ForAll @IntRange(min = 0, max = 120) int marginSeconds,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 30) Integer> stepsSeconds)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ClockedIssuer issuer = new ClockedIssuer(clock, lifetimeSeconds * 1000L, marginSeconds * 1000L);
    TokenCache cache = cache(issuer);
    IssuedToken first = cache.get(KEY, "server");

    for (int step : stepsSeconds) {
      clock.advance(Duration.ofSeconds(step));
      if (clock.millis() >= first.refreshAtMillis()) {
        break;
      }
      assertThat(cache.get(KEY, "server")).isSameAs(first);
    }
    if (clock.millis() < first.refreshAtMillis()) {
      assertThat(issuer.requests.get()).isEqualTo(1);
    }
  }

  @Property
  void anInvalidatedTokenIsNeverReturnedAgain(
      @ForAll @IntRange(min = 1, max = 20) int invalidations) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ClockedIssuer issuer = new ClockedIssuer(clock, 600_000, 60_000);
    TokenCache cache = cache(issuer);
    IssuedToken previous = cache.get(KEY, "server");

    for (int i = 0; i < invalidations; i++) {
      cache.invalidate(KEY);
      IssuedToken next = cache.get(KEY, "server");
      assertThat(next.value()).isNotEqualTo(previous.value());
      previous = next;
    }
    assertThat(issuer.requests.get()).isEqualTo(invalidations + 1);
  }

  @Property
  void theCacheStaysWithinItsBound(@ForAll @IntRange(min = 1, max = 400) int subjects)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ClockedIssuer issuer = new ClockedIssuer(clock, 600_000, 60_000);
    TokenCache cache = cache(issuer);

    for (int i = 0; i < subjects; i++) {
      cache.get(new CacheKey("subject-" + i, "client", null, "res", null), "server");
    }
    assertThat(cache.size()).isLessThanOrEqualTo(100);
  }
}
