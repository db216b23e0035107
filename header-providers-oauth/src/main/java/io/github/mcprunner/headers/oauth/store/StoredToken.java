package io.github.mcprunner.headers.oauth.store;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token as a store keeps it: the access token, when it expires, from when it is renewed ahead of
 * expiry, the refresh token issued with it and the scope it was requested for. {@link #toString()}
 * shows neither token.
 */
public final class StoredToken {
  private final String accessToken;
  private final Instant expiresAt;
  private final Instant refreshAt;
  private final @Nullable String refreshToken;
  private final @Nullable String scope;

  private StoredToken(
      String accessToken,
      Instant expiresAt,
      Instant refreshAt,
      @Nullable String refreshToken,
      @Nullable String scope) {
    this.accessToken = accessToken;
    this.expiresAt = expiresAt;
    this.refreshAt = refreshAt;
    this.refreshToken = refreshToken;
    this.scope = scope;
  }

  /**
   * Returns a stored token.
   *
   * @param accessToken the access token
   * @param expiresAt the instant from which it is expired
   * @param refreshAt the instant from which it is renewed ahead of expiry (at most {@code
   *     expiresAt})
   * @param refreshToken the refresh token issued with it, or null
   * @param scope the scope (space separated) it was requested for, or null
   */
  public static StoredToken of(
      String accessToken,
      Instant expiresAt,
      Instant refreshAt,
      @Nullable String refreshToken,
      @Nullable String scope) {
    requireNonNull(accessToken, "accessToken");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(refreshAt, "refreshAt");
    if (refreshAt.isAfter(expiresAt)) {
      throw new IllegalArgumentException("refreshAt must not be after expiresAt");
    }
    return new StoredToken(accessToken, expiresAt, refreshAt, refreshToken, scope);
  }

  /** Returns the access token. Never log it. */
  public String accessToken() {
    return accessToken;
  }

  /** Returns the instant from which the access token is expired. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Returns the instant from which the token is renewed ahead of expiry. */
  public Instant refreshAt() {
    return refreshAt;
  }

  /** Returns the refresh token, or null. Never log it. */
  public @Nullable String refreshToken() {
    return refreshToken;
  }

  /** Returns the scope the token was requested for, or null. */
  public @Nullable String scope() {
    return scope;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof StoredToken)) {
      return false;
    }
    StoredToken other = (StoredToken) o;
    return accessToken.equals(other.accessToken)
        && expiresAt.equals(other.expiresAt)
        && refreshAt.equals(other.refreshAt)
        && Objects.equals(refreshToken, other.refreshToken)
        && Objects.equals(scope, other.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accessToken, expiresAt, refreshAt, refreshToken, scope);
  }

  @Override
  public String toString() {
    return "StoredToken{accessToken="
        + McpHeaders.REDACTED
        + ", expiresAt="
        + expiresAt
        + ", refreshToken="
        + (refreshToken == null ? "none" : McpHeaders.REDACTED)
        + ", scope="
        + scope
        + "}";
  }
}
