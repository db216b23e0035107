package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a cached token is for: the subject token it was exchanged from (none for client
 * credentials), or the run identity it was authorized for (authorization code grant), the client,
 * and the audience, resource and scope requested. {@link #toString()} never shows the subject token
 * or the identity. Not public API.
 */
public final class CacheKey {
  private final @Nullable String subjectToken;
  private final @Nullable String identity;
  private final String clientId;
  private final @Nullable String audience;
  private final @Nullable String resource;
  private final @Nullable String scope;
  private final int hash;

  /** Returns a key; {@code subjectToken} is null for grants without a subject. */
  public CacheKey(
      @Nullable String subjectToken,
      String clientId,
      @Nullable String audience,
      @Nullable String resource,
      @Nullable String scope) {
    this(subjectToken, null, clientId, audience, resource, scope);
  }

  /**
   * Returns the key of a token authorized by the user of run identity {@code identity} ({@code ""}
   * for the one shared anonymous user): the authorization code grant, which exchanges no subject
   * token.
   */
  public static CacheKey forIdentity(
      String identity, String clientId, String resource, @Nullable String scope) {
    return new CacheKey(
        null, requireNonNull(identity, "identity"), clientId, null, resource, scope);
  }

  private CacheKey(
      @Nullable String subjectToken,
      @Nullable String identity,
      String clientId,
      @Nullable String audience,
      @Nullable String resource,
      @Nullable String scope) {
    this.subjectToken = subjectToken;
    this.identity = identity;
    this.clientId = requireNonNull(clientId, "clientId");
    this.audience = audience;
    this.resource = resource;
    this.scope = scope;
    this.hash = Objects.hash(subjectToken, identity, clientId, audience, resource, scope);
  }

  /** Returns the subject token to exchange, or null. Never log it. */
  public @Nullable String subjectToken() {
    return subjectToken;
  }

  /** Returns the run identity the token was authorized for, or null. Never log it. */
  public @Nullable String identity() {
    return identity;
  }

  /** Returns the client id. */
  public String clientId() {
    return clientId;
  }

  /** Returns the requested audience, or null. */
  public @Nullable String audience() {
    return audience;
  }

  /** Returns the requested RFC 8707 resource, or null. */
  public @Nullable String resource() {
    return resource;
  }

  /** Returns the requested scope (space separated), or null. */
  public @Nullable String scope() {
    return scope;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CacheKey)) {
      return false;
    }
    CacheKey other = (CacheKey) o;
    return hash == other.hash
        && Objects.equals(subjectToken, other.subjectToken)
        && clientId.equals(other.clientId)
        && Objects.equals(audience, other.audience)
        && Objects.equals(identity, other.identity)
        && Objects.equals(resource, other.resource)
        && Objects.equals(scope, other.scope);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "CacheKey{subject="
        + (subjectToken == null ? "none" : McpHeaders.REDACTED)
        + (identity == null ? "" : ", identity=" + McpHeaders.REDACTED)
        + ", clientId="
        + clientId
        + ", audience="
        + RemoteText.url(audience)
        + ", resource="
        + RemoteText.url(resource)
        + ", scope="
        + scope
        + "}";
  }
}
