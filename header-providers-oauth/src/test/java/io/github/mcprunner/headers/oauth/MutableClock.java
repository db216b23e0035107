package io.github.mcprunner.headers.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when told to: time in tests is injected, never waited for. */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Returns a clock at the current wall-clock second, so the IdP's real clock roughly agrees. */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  /**
   * Returns a clock a day ahead of the wall clock. The mock IdP dates its tokens by this clock but
   * computes {@code expires_in} against its own wall clock; ahead of it, {@code expires_in} always
   * exceeds what the token's {@code exp} allows, so the {@code exp} the provider also reads governs
   * and expiry falls exactly where the test puts it, however long the test takes.
   */
  public static MutableClock aheadOfWallClock() {
    return new MutableClock(
        Instant.ofEpochSecond(Instant.now().getEpochSecond()).plus(Duration.ofDays(1)));
  }

  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
