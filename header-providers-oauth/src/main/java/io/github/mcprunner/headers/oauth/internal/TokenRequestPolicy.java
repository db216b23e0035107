package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Timeouts, retries and lifetime rules of token requests. Not public API.
 *
 * @param connectTimeout connect timeout of one attempt
 * @param readTimeout read timeout of one attempt
 * @param maxAttempts attempts in all, for connect failures and HTTP 5xx answers only
 * @param retryBackoff pause before the first retry, doubled before each further one
 * @param clockSkew how long before expiry a token is refreshed (at most half its lifetime)
 * @param defaultLifetime lifetime assumed for a token issued with neither {@code expires_in} nor a
 *     JWT {@code exp}
 */
public record TokenRequestPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    int maxAttempts,
    Duration retryBackoff,
    Duration clockSkew,
    Duration defaultLifetime) {

  /** Checks the values. */
  public TokenRequestPolicy {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requireNotNegative(retryBackoff, "retryBackoff");
    requireNotNegative(clockSkew, "clockSkew");
    requirePositive(defaultLifetime, "defaultLifetime");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (connectTimeout.toMillis() > Integer.MAX_VALUE
        || readTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeouts must be at most Integer.MAX_VALUE milliseconds");
    }
  }

  /** Returns the pause before retry number {@code retry} (1 for the first retry). */
  public long backoffMillis(int retry) {
    long base = retryBackoff.toMillis();
    int shift = Math.min(retry - 1, 20);
    return base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
  }

  /**
   * Returns how long a resolution waits at most for a token: every attempt timing out, the pauses
   * between them, and a discovery.
   */
  public Duration maxWait() {
    Duration perAttempt = connectTimeout.plus(readTimeout);
    Duration pauses = Duration.ZERO;
    for (int retry = 1; retry < maxAttempts; retry++) {
      pauses = pauses.plusMillis(backoffMillis(retry));
    }
    return perAttempt.multipliedBy(maxAttempts + 1L).plus(pauses).plusSeconds(1);
  }

  private static void requirePositive(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static void requireNotNegative(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }
}
