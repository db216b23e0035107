package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.oauth.internal.ClientAuthenticator;
import io.github.mcprunner.headers.oauth.internal.McpAuthorizationResolver;
import io.github.mcprunner.headers.oauth.internal.TokenExecutors;
import io.github.mcprunner.headers.oauth.internal.TokenRequestPolicy;
import io.github.mcprunner.headers.oauth.internal.TrustedIssuers;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Implements the MCP authorization specification (2025-11-25) by discovery from the MCP server:
 * nothing needs configuring per server. The provider sends nothing to a server until the server
 * answers 401 with a {@code WWW-Authenticate: Bearer} challenge; {@link #onUnauthorized} then
 *
 * <ol>
 *   <li>reads the server's protected resource metadata (RFC 9728) from the challenge's {@code
 *       resource_metadata}, else from its well-known URIs, and <b>refuses</b> it unless its {@code
 *       resource} is the server (or a path prefix of it);
 *   <li>reads the metadata of its first authorization server (RFC 8414 or OpenID Connect
 *       discovery), whose {@code issuer} must match; without any resource metadata it follows the
 *       2025-03-26 rules (the server's origin is the authorization server);
 *   <li>selects the scope: the challenge's {@code scope}, else all of the metadata's {@code
 *       scopes_supported}, else none; on 403 {@code insufficient_scope}, the union of the old and
 *       the new scopes (step-up);
 *   <li>obtains a token, with RFC 8707 {@code resource} the server's canonical URI: by the client
 *       credentials grant ({@link #clientCredentials}) or by the authorization code grant with PKCE
 *       S256 and the user ({@link #authorizationCode});
 * </ol>
 *
 * <p>and returns true, so the runner retries the request with {@code Authorization: Bearer …}. Each
 * call makes at most one token request; a refused metadata document, a failed discovery or token
 * request makes it return false (logged as one warning naming the server), and the run fails as
 * unauthorized.
 *
 * <pre>{@code
 * // A service acting for itself:
 * McpHeaderProvider service = McpAuthorizationHeadersProvider
 *     .clientCredentials(ClientAuthentication.privateKeyJwt("my-agent", key, "key-1"))
 *     .build();
 *
 * // A service acting for its signed-in users (one token per user and server):
 * McpHeaderProvider users = McpAuthorizationHeadersProvider
 *     .authorizationCode(browser, URI.create("https://app.example.com/oauth/callback"))
 *     .clientMetadataDocument(URI.create("https://app.example.com/oauth/client.json"))
 *     .build();
 * runner.run(agent, prompt, RunOptions.builder().identity(userId).build());
 * }</pre>
 *
 * <p>Tokens are cached: for client credentials per server and scope, for the authorization code
 * grant per server and run identity ({@link HeaderContext#identity()}, set by {@code
 * RunOptions.builder().identity(...)}). A run without an identity gets nothing from the
 * authorization code grant (its 401 is not answered, one warning per server) unless {@link
 * Builder#allowAnonymousUser(boolean)} makes all such runs share one sign-in. A token is refreshed
 * ahead of expiry (client credentials: a new token; authorization code: with the refresh token,
 * when one was issued) and an expired one is never sent. A 401 for a token the provider sent drops
 * it and discovers again. Discoveries are reused for {@link Builder#discoveryLifetime(Duration)}.
 *
 * <p>Security: no token, secret, code, code verifier or client assertion appears in a log line,
 * exception message or {@link #toString()}; only {@code https} URLs are followed, and plain {@code
 * http} to loopback hosts ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) unless {@link
 * Builder#allowLoopbackHttp(boolean)} is off; redirects are never followed on metadata,
 * registration and token requests. The authorization server is named by the MCP server: a client
 * secret is sent only to the issuers of {@link Builder#authorizationServers(URI...)} (required with
 * a secret); a run's tokens of the authorization code grant belong to its identity.
 *
 * <p>Thread-safe.
 */
public final class McpAuthorizationHeadersProvider
    extends ResolvingProvider<McpAuthorizationResolver> {
  /** Default name: {@code mcp-authorization}. */
  public static final String DEFAULT_NAME = "mcp-authorization";

  /**
   * Default order: 1300, after {@link CrossAppAccessHeadersProvider#DEFAULT_ORDER}: a token this
   * provider obtained from the server's own challenge wins.
   */
  public static final int DEFAULT_ORDER = 1300;

  /** Default time a discovery is reused: 1 hour. */
  public static final Duration DEFAULT_DISCOVERY_LIFETIME = Duration.ofHours(1);

  /** Default client name in dynamic client registration: {@code mcp-runner}. */
  public static final String DEFAULT_CLIENT_NAME = "mcp-runner";

  /** What a {@code private_key_jwt} client assertion names as its audience ({@code aud}). */
  public enum AssertionAudience {
    /**
     * The authorization server's issuer identifier, as RFC 7523bis asks (the token endpoint when
     * the server published no metadata). The default.
     */
    ISSUER,
    /** The token endpoint URL, as older authorization servers expect. */
    TOKEN_ENDPOINT
  }

  private McpAuthorizationHeadersProvider(Builder builder) {
    super(builder.name, builder.order, resolverOf(builder), describe(builder));
  }

  private static McpAuthorizationResolver resolverOf(Builder builder) {
    TokenRequestPolicy policy =
        new TokenRequestPolicy(
            builder.connectTimeout,
            builder.readTimeout,
            builder.maxAttempts,
            builder.retryBackoff,
            builder.clockSkew,
            builder.defaultTokenLifetime);
    if (builder.discoveryLifetime.isNegative() || builder.discoveryLifetime.isZero()) {
      throw new IllegalArgumentException("discoveryLifetime must be positive");
    }
    ClientAuthentication client = builder.clientAuthentication;
    String name = builder.name;
    return new McpAuthorizationResolver(
        new McpAuthorizationResolver.Settings(
            name,
            builder.grant,
            client == null ? null : client.authenticator(),
            builder.clientMetadataDocument,
            builder.redirectUri,
            builder.userAuthorization,
            builder.clientName,
            builder.servers,
            builder.assertionAudience == AssertionAudience.ISSUER,
            builder.requestOfflineAccess,
            builder.allowInsecureHttp,
            builder.allowLoopbackHttp,
            builder.discoveryLifetime,
            policy,
            builder.maximumCacheSize,
            builder.allowAnonymousUser,
            trustedIssuers(builder, client)),
        builder.clock,
        builder.executor != null ? builder.executor : TokenExecutors.newDefault(name),
        builder.tokenStore);
  }

  private static String describe(Builder builder) {
    ClientAuthentication client = builder.clientAuthentication;
    return "McpAuthorizationHeadersProvider{name="
        + builder.name
        + ", grant="
        + (builder.grant == McpAuthorizationResolver.Grant.CLIENT_CREDENTIALS
            ? "client_credentials"
            : "authorization_code")
        + ", client="
        + (client != null
            ? client.toString()
            : builder.clientMetadataDocument != null
                ? "metadata document " + builder.clientMetadataDocument
                : "registered dynamically")
        + "}";
  }

  /**
   * The authorization servers the provider may request tokens from: the allowlist; else any, when
   * the builder opted out or no secret of the configured client is ever sent.
   */
  private static TrustedIssuers trustedIssuers(
      Builder builder, @Nullable ClientAuthentication client) {
    if (!builder.authorizationServers.isEmpty()) {
      if (builder.trustAnyAuthorizationServer) {
        throw new IllegalStateException(
            "set either authorizationServers or trustAnyAuthorizationServer, not both");
      }
      return TrustedIssuers.of(builder.authorizationServers);
    }
    if (!builder.trustAnyAuthorizationServer && client != null && carriesSecret(client)) {
      throw new IllegalStateException(
          "provider '"
              + builder.name
              + "' would send its client secret to whichever authorization server an MCP server"
              + " names: set authorizationServers(...) to the issuers it may be sent to, or"
              + " trustAnyAuthorizationServer() (tests only)");
    }
    return TrustedIssuers.any();
  }

  /** Whether the client authenticates with a shared secret (sent as is to the token endpoint). */
  static boolean carriesSecret(ClientAuthentication client) {
    ClientAuthenticator.Method method = client.authenticator().method();
    return method == ClientAuthenticator.Method.CLIENT_SECRET_BASIC
        || method == ClientAuthenticator.Method.CLIENT_SECRET_POST;
  }

  /**
   * Returns a builder of a provider using the client credentials grant (no user): the client is
   * registered with every authorization server it will meet, under this authentication. With a
   * client secret, {@link Builder#authorizationServers(URI...)} must name those servers.
   */
  public static Builder clientCredentials(ClientAuthentication clientAuthentication) {
    requireNonNull(clientAuthentication, "clientAuthentication");
    if (clientAuthentication.authenticator().method() == ClientAuthenticator.Method.NONE) {
      throw new IllegalArgumentException(
          "the client credentials grant needs a confidential client (a secret or a private key)");
    }
    Builder builder = new Builder(McpAuthorizationResolver.Grant.CLIENT_CREDENTIALS);
    builder.clientAuthentication = clientAuthentication;
    return builder;
  }

  /**
   * Returns a builder of a provider using the authorization code grant with PKCE: a user signs in
   * through {@code userAuthorization}, and the authorization server redirects back to {@code
   * redirectUri}. The client is the one set with {@link Builder#clientAuthentication}, else the
   * {@link Builder#clientMetadataDocument} URL where the server supports it, else one registered
   * dynamically (RFC 7591) once per authorization server.
   *
   * @throws IllegalArgumentException if {@code redirectUri} is not absolute or has a fragment
   */
  public static Builder authorizationCode(UserAuthorization userAuthorization, URI redirectUri) {
    requireNonNull(userAuthorization, "userAuthorization");
    requireNonNull(redirectUri, "redirectUri");
    if (!redirectUri.isAbsolute() || redirectUri.getRawFragment() != null) {
      throw new IllegalArgumentException("redirectUri must be absolute, without a fragment");
    }
    Builder builder = new Builder(McpAuthorizationResolver.Grant.AUTHORIZATION_CODE);
    builder.userAuthorization = userAuthorization;
    builder.redirectUri = redirectUri;
    return builder;
  }

  /** Builds a {@link McpAuthorizationHeadersProvider}. Not thread-safe. */
  public static final class Builder {
    private final McpAuthorizationResolver.Grant grant;
    private String name = DEFAULT_NAME;
    private int order = DEFAULT_ORDER;
    private @Nullable ClientAuthentication clientAuthentication;
    private @Nullable URI clientMetadataDocument;
    private @Nullable URI redirectUri;
    private @Nullable UserAuthorization userAuthorization;
    private String clientName = DEFAULT_CLIENT_NAME;
    private final Set<String> servers = new LinkedHashSet<>();
    private AssertionAudience assertionAudience = AssertionAudience.ISSUER;
    private boolean requestOfflineAccess = true;
    private boolean allowInsecureHttp;
    private boolean allowLoopbackHttp = true;
    private Duration discoveryLifetime = DEFAULT_DISCOVERY_LIFETIME;
    private Duration connectTimeout = OAuthProviderBuilder.DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = OAuthProviderBuilder.DEFAULT_READ_TIMEOUT;
    private int maxAttempts = OAuthProviderBuilder.DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = OAuthProviderBuilder.DEFAULT_RETRY_BACKOFF;
    private Duration clockSkew = OAuthProviderBuilder.DEFAULT_CLOCK_SKEW;
    private Duration defaultTokenLifetime = OAuthProviderBuilder.DEFAULT_TOKEN_LIFETIME;
    private long maximumCacheSize = OAuthProviderBuilder.DEFAULT_MAXIMUM_CACHE_SIZE;
    private boolean allowAnonymousUser;
    private final Set<URI> authorizationServers = new LinkedHashSet<>();
    private boolean trustAnyAuthorizationServer;
    private Clock clock = Clock.systemUTC();
    private @Nullable Executor executor;
    private @Nullable TokenStore tokenStore;

    private Builder(McpAuthorizationResolver.Grant grant) {
      this.grant = grant;
    }

    /** Sets the provider's name, used for ordering and in errors. */
    public Builder name(String name) {
      this.name = TokenTarget.nonBlank(name, "name");
      return this;
    }

    /** Sets the provider's position in the chain (higher applies later and wins). */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * Sets a pre-registered client for the authorization code grant: its id, and its secret or key
     * ({@link ClientAuthentication#none(String)} for a public client). It is used with every
     * authorization server, in preference to a client metadata document or dynamic registration.
     */
    public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
      this.clientAuthentication = requireNonNull(clientAuthentication, "clientAuthentication");
      return this;
    }

    /**
     * Sets the URL of this client's Client ID Metadata Document, used as client id with
     * authorization servers advertising {@code client_id_metadata_document_supported} (when no
     * pre-registered client is set). The document must be served there, naming the redirect URI.
     *
     * @throws IllegalArgumentException if it is not an https URL with a path
     */
    public Builder clientMetadataDocument(URI clientMetadataDocument) {
      requireNonNull(clientMetadataDocument, "clientMetadataDocument");
      if (!"https".equalsIgnoreCase(clientMetadataDocument.getScheme())
          || clientMetadataDocument.getHost() == null
          || clientMetadataDocument.getRawPath() == null
          || clientMetadataDocument.getRawPath().length() <= 1) {
        throw new IllegalArgumentException(
            "clientMetadataDocument must be an https URL with a path");
      }
      this.clientMetadataDocument = clientMetadataDocument;
      return this;
    }

    /**
     * Sets whether the authorization code grant serves runs without an identity ({@code
     * RunOptions.builder().identity(...)}). Default false: tokens of the authorization code grant
     * are kept per identity, so a run without one gets nothing from this provider and its 401 is
     * not answered (one WARN per server), whatever else its context holds (such as {@code
     * ContextKey.USER_ID}). True makes every run without an identity share <b>one</b> sign-in and
     * its token: only for single-user tools (a command line, a desktop agent), never for a service
     * serving several users. No effect on the client credentials grant, whose token belongs to the
     * client.
     */
    public Builder allowAnonymousUser(boolean allowAnonymousUser) {
      this.allowAnonymousUser = allowAnonymousUser;
      return this;
    }

    /**
     * Sets the authorization servers, by issuer identifier, the provider may request tokens from.
     * The authorization server is named by the MCP server's metadata, so a rogue or compromised MCP
     * server could name one it controls; the provider then requests no token there (its 401 is not
     * answered, one warning naming server and issuer). Without protected resource metadata
     * (2025-03-26 rules) the authorization server is the MCP server's origin. Issuers compare with
     * scheme and host in any case, the default port and trailing slashes left out. Calls add up.
     *
     * <p><b>Required</b> (or {@link #trustAnyAuthorizationServer()}) when the client authenticates
     * with a secret, {@code client_secret_basic} or {@code client_secret_post}, with either grant:
     * the secret itself is sent to the token endpoint. Not required for {@code private_key_jwt}:
     * each assertion is signed for one audience (the authorization server's issuer, or with {@link
     * AssertionAudience#TOKEN_ENDPOINT} its token endpoint), lives 60 seconds and carries a unique
     * {@code jti}, so a server it was sent to cannot use it at another, and the key never leaves;
     * nor for clients registered dynamically or identified by a client metadata document, which
     * hold no secret of the service. When set, it applies to every client.
     *
     * @throws IllegalArgumentException if an issuer is not an absolute URL without query and
     *     fragment
     */
    public Builder authorizationServers(URI... issuers) {
      return authorizationServers(Arrays.asList(requireNonNull(issuers, "issuers")));
    }

    /** Like {@link #authorizationServers(URI...)}. */
    public Builder authorizationServers(Collection<URI> issuers) {
      for (URI issuer : requireNonNull(issuers, "issuers")) {
        TrustedIssuers.of(List.of(requireNonNull(issuer, "issuer")));
        this.authorizationServers.add(issuer);
      }
      return this;
    }

    /**
     * Lets the provider request tokens, with its client's secret, from any authorization server an
     * MCP server names. For tests and conformance suites whose authorization servers listen on
     * random ports; never in production, where a server could name an authorization server it
     * controls and receive the secret. Excludes {@link #authorizationServers(URI...)}.
     */
    public Builder trustAnyAuthorizationServer() {
      this.trustAnyAuthorizationServer = true;
      return this;
    }

    /** Sets the {@code client_name} sent in dynamic client registration. Default mcp-runner. */
    public Builder clientName(String clientName) {
      this.clientName = TokenTarget.nonBlank(clientName, "clientName");
      return this;
    }

    /**
     * Restricts the provider to these servers, by name or by URI (compared in canonical form). By
     * default it applies to every server. Calls add up.
     */
    public Builder servers(String... servers) {
      return servers(Arrays.asList(requireNonNull(servers, "servers")));
    }

    /** Like {@link #servers(String...)}. */
    public Builder servers(Collection<String> servers) {
      for (String server : requireNonNull(servers, "servers")) {
        this.servers.add(TokenTarget.nonBlank(server, "server").trim());
      }
      return this;
    }

    /**
     * Sets the audience of {@code private_key_jwt} assertions. Default {@link
     * AssertionAudience#ISSUER}.
     */
    public Builder assertionAudience(AssertionAudience assertionAudience) {
      this.assertionAudience = requireNonNull(assertionAudience, "assertionAudience");
      return this;
    }

    /**
     * Sets whether the authorization code grant adds {@code offline_access} to a selected scope
     * when the authorization server lists it in {@code scopes_supported}, to get a refresh token.
     * Default true.
     */
    public Builder requestOfflineAccess(boolean requestOfflineAccess) {
      this.requestOfflineAccess = requestOfflineAccess;
      return this;
    }

    /**
     * Sets whether plain {@code http} URLs to any host are followed. Default false: never do this
     * in production.
     */
    public Builder allowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    /**
     * Sets whether plain {@code http} URLs to loopback hosts ({@code localhost}, {@code 127.0.0.1},
     * {@code ::1}) are followed, for servers on the same machine and tests. Default true.
     */
    public Builder allowLoopbackHttp(boolean allowLoopbackHttp) {
      this.allowLoopbackHttp = allowLoopbackHttp;
      return this;
    }

    /** Sets how long a server's discovered authorization server is reused. Default 1 hour. */
    public Builder discoveryLifetime(Duration discoveryLifetime) {
      this.discoveryLifetime = requireNonNull(discoveryLifetime, "discoveryLifetime");
      return this;
    }

    /** Sets the connect timeout of each metadata, registration and token request. Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /** Sets the read timeout of each metadata, registration and token request. Default 10 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = requireNonNull(readTimeout, "readTimeout");
      return this;
    }

    /** Sets the attempts of a token request (connect failures and 5xx only). Default 3. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the pause before the first retry; it doubles before each further one. Default 100 ms.
     */
    public Builder retryBackoff(Duration retryBackoff) {
      this.retryBackoff = requireNonNull(retryBackoff, "retryBackoff");
      return this;
    }

    /** Sets how long before expiry a token is renewed (at most half its lifetime). Default 60 s. */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /**
     * Sets the lifetime assumed for a token issued without {@code expires_in} or JWT {@code exp}.
     */
    public Builder defaultTokenLifetime(Duration defaultTokenLifetime) {
      this.defaultTokenLifetime = requireNonNull(defaultTokenLifetime, "defaultTokenLifetime");
      return this;
    }

    /** Sets the most tokens cached. Default 10,000. */
    public Builder maximumCacheSize(long maximumCacheSize) {
      if (maximumCacheSize < 1) {
        throw new IllegalArgumentException("maximumCacheSize must be at least 1");
      }
      this.maximumCacheSize = maximumCacheSize;
      return this;
    }

    /** Sets the clock tokens and discoveries expire against. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the executor token renewals run on. Default: a pool of 8 daemon threads. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets a token store shared by every instance of the service (e.g. {@code token-store-redis}):
     * tokens, refresh tokens and client registrations (by issuer) are kept there too, survive
     * restarts, and one instance asks the token endpoint for all. Default: none, everything in this
     * provider's memory.
     */
    public Builder tokenStore(TokenStore tokenStore) {
      this.tokenStore = requireNonNull(tokenStore, "tokenStore");
      return this;
    }

    /**
     * Returns the provider. No network access happens here.
     *
     * @throws IllegalArgumentException if a setting is out of range
     * @throws IllegalStateException if the client authenticates with a secret and neither {@link
     *     #authorizationServers(URI...)} nor {@link #trustAnyAuthorizationServer()} is set, or both
     *     are
     */
    public McpAuthorizationHeadersProvider build() {
      return new McpAuthorizationHeadersProvider(this);
    }
  }
}
