package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A token issued by a token endpoint, with the instant it expires and the instant from which it is
 * refreshed ahead of expiry, and the {@code Authorization} header that carries it. The only mutable
 * part is when the next refresh may be tried, pushed back after a failed refresh so that a token
 * endpoint that is down is not asked again on every request. {@link #toString()} never shows the
 * token. Not public API.
 */
public final class IssuedToken {
  private final McpHeaders headers;
  private final String value;
  private final long expiresAtMillis;
  private final long refreshAtMillis;
  private final @Nullable String refreshToken;
  private volatile long nextRefreshMillis;

  private IssuedToken(
      String value, long expiresAtMillis, long refreshAtMillis, @Nullable String refreshToken) {
    this.value = value;
    this.refreshToken = refreshToken;
    this.expiresAtMillis = expiresAtMillis;
    this.refreshAtMillis = refreshAtMillis;
    this.nextRefreshMillis = refreshAtMillis;
    // Marked secret too, not only sensitive by name: redacted wherever the headers are printed.
    this.headers = McpHeaders.builder().setSecret("Authorization", "Bearer " + value).build();
  }

  /**
   * Returns a token valid until {@code expiresAtMillis} and refreshed from {@code refreshAtMillis}.
   *
   * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if the token cannot be sent in an
   *     HTTP header (the message never holds it)
   */
  public static IssuedToken of(String value, long expiresAtMillis, long refreshAtMillis) {
    return of(value, expiresAtMillis, refreshAtMillis, null);
  }

  /**
   * Returns a token as {@link #of(String, long, long)}, with the refresh token issued with it.
   *
   * @param refreshToken the refresh token, or null when none was issued
   */
  public static IssuedToken of(
      String value, long expiresAtMillis, long refreshAtMillis, @Nullable String refreshToken) {
    requireNonNull(value, "value");
    if (refreshAtMillis > expiresAtMillis) {
      throw new IllegalArgumentException("refreshAtMillis must not be after expiresAtMillis");
    }
    return new IssuedToken(value, expiresAtMillis, refreshAtMillis, refreshToken);
  }

  /** Returns the refresh token issued with this token, if any. Never log it. */
  public @Nullable String refreshToken() {
    return refreshToken;
  }

  /** Returns this token with its refresh instant moved to its expiry: no refresh ahead. */
  public IssuedToken withoutRefreshAhead() {
    return new IssuedToken(value, expiresAtMillis, expiresAtMillis, refreshToken);
  }

  /** Returns the token itself. Never log it. */
  public String value() {
    return value;
  }

  /** Returns the {@code Authorization: Bearer} header carrying the token. */
  public McpHeaders headers() {
    return headers;
  }

  /** Returns the epoch millisecond from which the token is expired. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** Returns the epoch millisecond from which the token is refreshed ahead of expiry. */
  public long refreshAtMillis() {
    return refreshAtMillis;
  }

  /** Returns whether the token is still valid at {@code nowMillis}. */
  public boolean isValidAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }

  /** Returns whether a new token should be fetched at {@code nowMillis}. */
  public boolean needsRefreshAt(long nowMillis) {
    return nowMillis >= nextRefreshMillis;
  }

  /** Defers the next refresh attempt to {@code nextRefreshMillis}, after a failed refresh. */
  public void deferRefreshUntil(long nextRefreshMillis) {
    this.nextRefreshMillis = Math.max(this.nextRefreshMillis, nextRefreshMillis);
  }

  @Override
  public String toString() {
    return "IssuedToken{value="
        + McpHeaders.REDACTED
        + ", expiresAt="
        + Instant.ofEpochMilli(expiresAtMillis)
        + ", refreshAt="
        + Instant.ofEpochMilli(refreshAtMillis)
        + "}";
  }
}
