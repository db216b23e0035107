package io.github.mcprunner.headers.oauth.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/**
 * Caffeine's {@link Ticker} read from an injected {@link Clock}, so that cache expiry follows the
 * clock tests control. The one adapter of the module. Not public API.
 */
public final class ClockTicker {
  private ClockTicker() {}

  /** Returns a ticker giving {@code clock}'s instant in nanoseconds. */
  public static Ticker of(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
