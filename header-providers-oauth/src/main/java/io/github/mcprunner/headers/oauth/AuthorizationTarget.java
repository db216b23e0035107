package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.AuthorizationDiscovery;
import io.github.mcprunner.headers.oauth.internal.TokenFetchException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which authorization server issues the tokens of one MCP server, and for which resource: the
 * authorization server's issuer identifier, its token endpoint (or none, to discover it from the
 * issuer's RFC 8414 metadata) and the MCP server's RFC 8707 resource identifier.
 *
 * <pre>{@code
 * AuthorizationTarget.of(URI.create("https://auth.crm.example.com"),
 *     URI.create("https://crm.example.com/mcp"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthorizationTarget {
  private final URI issuer;
  private final @Nullable URI tokenEndpoint;
  private final URI resource;

  private AuthorizationTarget(URI issuer, @Nullable URI tokenEndpoint, URI resource) {
    this.issuer = issuer;
    this.tokenEndpoint = tokenEndpoint;
    this.resource = resource;
  }

  /**
   * Returns a target whose token endpoint is discovered from the metadata of {@code issuer}.
   *
   * @throws IllegalArgumentException if a URI is not absolute, the issuer has a query or fragment,
   *     or the resource has a fragment
   */
  public static AuthorizationTarget of(URI issuer, URI resource) {
    return new AuthorizationTarget(checkIssuer(issuer), null, checkResource(resource));
  }

  /**
   * Returns a target with a known token endpoint: nothing is discovered.
   *
   * @throws IllegalArgumentException as for {@link #of(URI, URI)}, or if the token endpoint is not
   *     absolute
   */
  public static AuthorizationTarget of(URI issuer, URI tokenEndpoint, URI resource) {
    requireNonNull(tokenEndpoint, "tokenEndpoint");
    if (!tokenEndpoint.isAbsolute()) {
      throw new IllegalArgumentException("tokenEndpoint must be an absolute URL");
    }
    return new AuthorizationTarget(checkIssuer(issuer), tokenEndpoint, checkResource(resource));
  }

  /**
   * Returns a locator that discovers each server's authorization server as the MCP authorization
   * specification says: the server's RFC 9728 protected resource metadata at its well-known URIs
   * (path-inserted, then root), <b>refused</b> unless its {@code resource} is the server (or a path
   * prefix of it), then the first listed authorization server's RFC 8414 or OpenID Connect metadata,
   * whose {@code issuer} must match. The target's resource is the server's canonical URI. Only
   * {@code https} is followed, and plain {@code http} to loopback hosts; redirects never; each
   * document within {@code timeout}.
   *
   * <p>A server without such metadata (or whose authorization server publishes none) is not
   * located: the locator throws, and the provider sends nothing to the server.
   */
  public static Locator discovered(Duration timeout) {
    requireNonNull(timeout, "timeout");
    AuthorizationDiscovery discovery = new AuthorizationDiscovery(false, true, timeout, timeout);
    return server -> {
      AuthorizationDiscovery.Discovery found;
      try {
        found = discovery.discover(server, null);
      } catch (TokenFetchException e) {
        // Discovery messages name URLs and resources only, never a secret.
        throw new IllegalStateException(
            "no authorization server found for MCP server '" + server.name() + "': " + e.getMessage());
      }
      String issuer = found.server().issuer();
      if (found.legacy() || issuer == null) {
        throw new IllegalStateException(
            "MCP server '"
                + server.name()
                + "' publishes no protected resource metadata naming its authorization server");
      }
      return of(URI.create(issuer), found.server().tokenEndpoint(), URI.create(found.resource()));
    };
  }

  /** Returns {@link #discovered(Duration)} with a 10 s timeout per document. */
  public static Locator discovered() {
    return discovered(Duration.ofSeconds(10));
  }

  private static URI checkIssuer(URI issuer) {
    requireNonNull(issuer, "issuer");
    if (!issuer.isAbsolute() || issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "issuer must be an absolute URL without query and fragment");
    }
    return issuer;
  }

  private static URI checkResource(URI resource) {
    requireNonNull(resource, "resource");
    if (!resource.isAbsolute() || resource.getRawFragment() != null) {
      throw new IllegalArgumentException("resource must be an absolute URI without a fragment");
    }
    return resource;
  }

  /**
   * Returns the authorization server's issuer identifier, the {@code audience} of the grants
   * requested for it.
   */
  public URI issuer() {
    return issuer;
  }

  /** Returns the token endpoint, if known; when empty it is discovered from the issuer. */
  public Optional<URI> tokenEndpoint() {
    return Optional.ofNullable(tokenEndpoint);
  }

  /** Returns the MCP server's RFC 8707 resource identifier. */
  public URI resource() {
    return resource;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof AuthorizationTarget)) {
      return false;
    }
    AuthorizationTarget other = (AuthorizationTarget) o;
    return issuer.equals(other.issuer)
        && Objects.equals(tokenEndpoint, other.tokenEndpoint)
        && resource.equals(other.resource);
  }

  @Override
  public int hashCode() {
    return Objects.hash(issuer, tokenEndpoint, resource);
  }

  @Override
  public String toString() {
    return "AuthorizationTarget{issuer="
        + issuer
        + ", tokenEndpoint="
        + (tokenEndpoint == null ? "discovered" : tokenEndpoint)
        + ", resource="
        + resource
        + "}";
  }

  /**
   * Finds the {@link AuthorizationTarget} of an MCP server: a fixed configuration, or a discovery
   * such as RFC 9728 protected resource metadata. A provider calls it once per server, again after
   * the server answered 401, and keeps the result in between; calls may block (network I/O) and run
   * on the thread of the first request to the server.
   */
  @FunctionalInterface
  public interface Locator {
    /**
     * Returns where the tokens of {@code server} come from.
     *
     * @throws io.github.mcprunner.HeaderProviderException or another runtime exception if it cannot
     *     be found; the request to the server is then not sent
     */
    AuthorizationTarget locate(McpServerRef server);
  }
}
