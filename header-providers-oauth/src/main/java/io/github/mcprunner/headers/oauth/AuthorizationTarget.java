package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.AuthorizationDiscovery;
import io.github.mcprunner.headers.oauth.internal.RemoteText;
import io.github.mcprunner.headers.oauth.internal.TokenFetchException;
import io.github.mcprunner.headers.oauth.internal.TrustedIssuers;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
   * Returns a builder of a locator that discovers each server's authorization server as the MCP
   * authorization specification says: the server's RFC 9728 protected resource metadata at its
   * well-known URIs (path-inserted, then root), <b>refused</b> unless its {@code resource} is the
   * server (or a path prefix of it), then the first listed authorization server's RFC 8414 or
   * OpenID Connect metadata, whose {@code issuer} must match. The target's resource is the server's
   * canonical URI. Redirects are never followed.
   *
   * <pre>{@code
   * AuthorizationTarget.discovery()
   *     .authorizationServers(URI.create("https://auth.crm.example.com"))
   *     .build();
   * }</pre>
   *
   * <p>The authorization server is named by the MCP server, so a rogue server could name one it
   * controls. {@link CrossAppAccessHeadersProvider} sends its client's credentials there: with a
   * client secret it requires {@link DiscoveryBuilder#authorizationServers(URI...)} (or the opt-out
   * {@link DiscoveryBuilder#trustAnyAuthorizationServer()}).
   */
  public static DiscoveryBuilder discovery() {
    return new DiscoveryBuilder();
  }

  /**
   * Returns {@code discovery().timeout(timeout).build()}: a discovering locator trusting whichever
   * authorization server a server names. A {@link CrossAppAccessHeadersProvider} whose client
   * authenticates with a secret refuses it at build: use {@link #discovery()} with {@link
   * DiscoveryBuilder#authorizationServers(URI...)}.
   */
  public static Locator discovered(Duration timeout) {
    return discovery().timeout(timeout).build();
  }

  /** Returns {@link #discovered(Duration)} with a 10 s timeout per document. */
  public static Locator discovered() {
    return discovery().build();
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
        + (tokenEndpoint == null ? "discovered" : RemoteText.url(tokenEndpoint))
        + ", resource="
        + RemoteText.url(resource)
        + "}";
  }

  /** Builds the discovering {@link Locator} of {@link #discovery()}. Not thread-safe. */
  public static final class DiscoveryBuilder {
    private final Set<URI> authorizationServers = new LinkedHashSet<>();
    private boolean trustAny;
    private boolean allowInsecureHttp;
    private boolean allowLoopbackHttp = true;
    private Duration timeout = Duration.ofSeconds(10);

    private DiscoveryBuilder() {}

    /**
     * Sets the authorization servers, by issuer identifier, a server may name; a server naming
     * another is not located (one warning naming server and issuer) and no token is requested for
     * it. Compared with scheme and host in any case, default port and trailing slashes left out.
     * Calls add up.
     *
     * @throws IllegalArgumentException if an issuer is not an absolute URL without query and
     *     fragment
     */
    public DiscoveryBuilder authorizationServers(URI... issuers) {
      return authorizationServers(Arrays.asList(requireNonNull(issuers, "issuers")));
    }

    /** Like {@link #authorizationServers(URI...)}. */
    public DiscoveryBuilder authorizationServers(Collection<URI> issuers) {
      for (URI issuer : requireNonNull(issuers, "issuers")) {
        TrustedIssuers.of(List.of(requireNonNull(issuer, "issuer")));
        authorizationServers.add(issuer);
      }
      return this;
    }

    /**
     * Accepts any authorization server a server names, also with a client secret: for tests and
     * conformance suites whose authorization servers listen on random ports, never in production.
     */
    public DiscoveryBuilder trustAnyAuthorizationServer() {
      this.trustAny = true;
      return this;
    }

    /** Sets whether plain {@code http} URLs to any host are followed. Default false. */
    public DiscoveryBuilder allowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    /**
     * Sets whether plain {@code http} URLs to loopback hosts ({@code localhost}, {@code 127.x.x.x},
     * {@code ::1}) are followed. Default true.
     */
    public DiscoveryBuilder allowLoopbackHttp(boolean allowLoopbackHttp) {
      this.allowLoopbackHttp = allowLoopbackHttp;
      return this;
    }

    /** Sets the connect and read timeout of each metadata document. Default 10 s. */
    public DiscoveryBuilder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Returns the locator.
     *
     * @throws IllegalStateException if both an allowlist and {@link #trustAnyAuthorizationServer()}
     *     are set
     */
    public Locator build() {
      if (trustAny && !authorizationServers.isEmpty()) {
        throw new IllegalStateException(
            "set either authorizationServers or trustAnyAuthorizationServer, not both");
      }
      return new DiscoveredLocator(
          new AuthorizationDiscovery(allowInsecureHttp, allowLoopbackHttp, timeout, timeout),
          authorizationServers.isEmpty()
              ? TrustedIssuers.any()
              : TrustedIssuers.of(authorizationServers),
          !trustAny && authorizationServers.isEmpty());
    }
  }

  /** The locator of {@link DiscoveryBuilder}. */
  static final class DiscoveredLocator implements Locator {
    private static final Logger log = LoggerFactory.getLogger(AuthorizationTarget.class);

    private final AuthorizationDiscovery discovery;
    private final TrustedIssuers trusted;
    private final boolean unrestricted;
    private final Cache<String, Boolean> warned =
        Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();

    DiscoveredLocator(
        AuthorizationDiscovery discovery, TrustedIssuers trusted, boolean unrestricted) {
      this.discovery = discovery;
      this.trusted = trusted;
      this.unrestricted = unrestricted;
    }

    /** Whether neither an allowlist nor the opt-out was given. */
    boolean unrestricted() {
      return unrestricted;
    }

    @Override
    public AuthorizationTarget locate(McpServerRef server) {
      AuthorizationDiscovery.Discovery found;
      try {
        found = discovery.discover(server, null);
      } catch (TokenFetchException e) {
        // Discovery messages name URLs and resources only, never a secret.
        throw new IllegalStateException(
            "no authorization server found for MCP server '"
                + server.name()
                + "': "
                + e.getMessage());
      }
      String issuer = found.server().issuer();
      if (found.legacy() || issuer == null) {
        throw new IllegalStateException(
            "MCP server '"
                + server.name()
                + "' publishes no protected resource metadata naming its authorization server");
      }
      if (!trusted.trusts(issuer)) {
        String problem =
            "MCP server '"
                + server.name()
                + "' names authorization server "
                + RemoteText.of(issuer)
                + ", which is not one of the trusted authorization servers; no token is requested"
                + " there";
        if (warned.asMap().putIfAbsent(server.name() + " " + issuer, Boolean.TRUE) == null) {
          log.warn("{}", problem);
        }
        throw new IllegalStateException(problem);
      }
      return of(URI.create(issuer), found.server().tokenEndpoint(), URI.create(found.resource()));
    }

    @Override
    public String toString() {
      return "AuthorizationTarget.discovery{trusted=" + (unrestricted ? "unset" : trusted) + "}";
    }
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
