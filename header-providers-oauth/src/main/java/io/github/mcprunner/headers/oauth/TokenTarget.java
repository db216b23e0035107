package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.headers.oauth.internal.RemoteText;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to ask the authorization server for when a token is meant for one MCP server, where the
 * defaults do not fit: the {@code audience}, the RFC 8707 {@code resource} and the {@code scope}.
 * Anything left unset falls back to the provider's defaults (the server's canonical URI for
 * audience and resource, the provider's scope).
 *
 * <pre>{@code
 * TokenTarget.builder().audience("api://crm").scope("crm.read crm.write").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenTarget {
  private final @Nullable String audience;
  private final @Nullable URI resource;
  private final @Nullable String scope;

  private TokenTarget(@Nullable String audience, @Nullable URI resource, @Nullable String scope) {
    this.audience = audience;
    this.resource = resource;
    this.scope = scope;
  }

  /** Returns a builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the audience to request, if set. */
  public Optional<String> audience() {
    return Optional.ofNullable(audience);
  }

  /** Returns the resource to request, if set. */
  public Optional<URI> resource() {
    return Optional.ofNullable(resource);
  }

  /** Returns the scope to request (space separated), if set. */
  public Optional<String> scope() {
    return Optional.ofNullable(scope);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TokenTarget)) {
      return false;
    }
    TokenTarget other = (TokenTarget) o;
    return Objects.equals(audience, other.audience)
        && Objects.equals(resource, other.resource)
        && Objects.equals(scope, other.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(audience, resource, scope);
  }

  @Override
  public String toString() {
    return "TokenTarget{audience="
        + RemoteText.url(audience)
        + ", resource="
        + RemoteText.url(resource)
        + ", scope="
        + scope
        + "}";
  }

  /** Builds a {@link TokenTarget}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String audience;
    private @Nullable URI resource;
    private @Nullable String scope;

    private Builder() {}

    /**
     * Sets the audience (e.g. {@code api://crm}).
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder audience(String audience) {
      this.audience = nonBlank(audience, "audience");
      return this;
    }

    /**
     * Sets the RFC 8707 resource.
     *
     * @throws IllegalArgumentException if not absolute or if it has a fragment (RFC 8707 §2)
     */
    public Builder resource(URI resource) {
      Objects.requireNonNull(resource, "resource");
      if (!resource.isAbsolute() || resource.getRawFragment() != null) {
        throw new IllegalArgumentException("resource must be an absolute URI without a fragment");
      }
      this.resource = resource;
      return this;
    }

    /**
     * Sets the scope, space separated.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder scope(String scope) {
      this.scope = nonBlank(scope, "scope").trim();
      return this;
    }

    /** Returns the target. */
    public TokenTarget build() {
      return new TokenTarget(audience, resource, scope);
    }
  }

  static String nonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
