package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.oauth.internal.ClientAuthenticator;
import io.github.mcprunner.headers.oauth.internal.RemoteText;
import io.github.mcprunner.headers.oauth.internal.TokenCache;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointClient;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointResolver;
import io.github.mcprunner.headers.oauth.internal.TokenExecutors;
import io.github.mcprunner.headers.oauth.internal.TokenFetcher;
import io.github.mcprunner.headers.oauth.internal.TokenHeaderResolver;
import io.github.mcprunner.headers.oauth.internal.TokenRequestPolicy;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Settings shared by the builders of {@link TokenExchangeHeadersProvider}, {@link
 * ClientCredentialsHeadersProvider} and {@link CrossAppAccessHeadersProvider}. Not thread-safe;
 * {@code build()} may be called more than once, each provider getting its own token cache.
 *
 * <p>Required: a token endpoint ({@link #tokenEndpoint(URI)}) or an issuer to discover it from
 * ({@link #issuer(URI)}), and a {@link #clientAuthentication(ClientAuthentication)}.
 *
 * @param <B> the concrete builder
 */
public abstract class OAuthProviderBuilder<B extends OAuthProviderBuilder<B>> {
  /** Default connect timeout of a token request: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default read timeout of a token request: 10 seconds. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Default number of attempts of a token request: 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Default pause before the first retry, doubled before each further one: 100 ms. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);

  /** Default clock-skew margin: tokens are refreshed this long before they expire. 60 seconds. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  /** Default lifetime of a token issued with neither {@code expires_in} nor JWT {@code exp}. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

  /** Default maximum number of cached tokens: 10,000. */
  public static final long DEFAULT_MAXIMUM_CACHE_SIZE = 10_000;

  private String name;
  private int order;
  private @Nullable URI tokenEndpoint;
  private @Nullable URI issuer;
  private @Nullable ClientAuthentication clientAuthentication;
  private @Nullable String scope;
  private final Set<String> servers = new LinkedHashSet<>();
  private final Map<String, TokenTarget> targets = new LinkedHashMap<>();
  private boolean sendAudience;
  private boolean sendResource = true;
  private boolean allowInsecureHttp;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration readTimeout = DEFAULT_READ_TIMEOUT;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
  private Duration clockSkew = DEFAULT_CLOCK_SKEW;
  private Duration defaultTokenLifetime = DEFAULT_TOKEN_LIFETIME;
  private long maximumCacheSize = DEFAULT_MAXIMUM_CACHE_SIZE;
  private Clock clock = Clock.systemUTC();
  private @Nullable Executor executor;
  private @Nullable TokenStore tokenStore;

  OAuthProviderBuilder(String defaultName, int defaultOrder, boolean sendAudienceByDefault) {
    this.name = defaultName;
    this.order = defaultOrder;
    this.sendAudience = sendAudienceByDefault;
  }

  abstract B self();

  /** Sets the provider's name, used for ordering and in errors. */
  public B name(String name) {
    this.name = TokenTarget.nonBlank(name, "name");
    return self();
  }

  /** Sets the provider's position in the chain (higher applies later and wins). */
  public B order(int order) {
    this.order = order;
    return self();
  }

  /**
   * Sets the token endpoint. It must be {@code https}, or plain {@code http} to a loopback host (or
   * with {@link #allowInsecureHttp(boolean)}).
   */
  public B tokenEndpoint(URI tokenEndpoint) {
    this.tokenEndpoint = requireNonNull(tokenEndpoint, "tokenEndpoint");
    return self();
  }

  /**
   * Sets the authorization server's issuer identifier; its token endpoint is discovered from its
   * metadata (RFC 8414, then OpenID Connect discovery) on the first token request. The metadata's
   * {@code issuer} must equal it exactly.
   */
  public B issuer(URI issuer) {
    this.issuer = requireNonNull(issuer, "issuer");
    return self();
  }

  /** Sets how the runner authenticates at the token endpoint. Required. */
  public B clientAuthentication(ClientAuthentication clientAuthentication) {
    this.clientAuthentication = requireNonNull(clientAuthentication, "clientAuthentication");
    return self();
  }

  /** Sets the scope (space separated) requested for every server without its own. */
  public B scope(String scope) {
    this.scope = TokenTarget.nonBlank(scope, "scope").trim();
    return self();
  }

  /**
   * Restricts the provider to these servers, each given by name ({@code crm}) or by URI ({@code
   * https://crm.example.com/mcp}, compared in canonical form). By default it applies to every
   * server. Calls add up.
   */
  public B servers(String... servers) {
    return servers(Arrays.asList(requireNonNull(servers, "servers")));
  }

  /** Like {@link #servers(String...)}. */
  public B servers(Collection<String> servers) {
    for (String server : requireNonNull(servers, "servers")) {
      this.servers.add(TokenTarget.nonBlank(server, "server").trim());
    }
    return self();
  }

  /**
   * Sets what tokens for server {@code serverName} are requested for. The name is matched exactly,
   * else ignoring case and punctuation (so that environment variables can name servers).
   */
  public B target(String serverName, TokenTarget target) {
    targets.put(TokenTarget.nonBlank(serverName, "serverName"), requireNonNull(target, "target"));
    return self();
  }

  /**
   * Sets whether the server's canonical URI is sent as {@code audience} for servers whose target
   * sets none. Token exchange: on by default; client credentials: off by default ({@code audience}
   * is not a standard parameter of that grant).
   */
  public B sendAudience(boolean sendAudience) {
    this.sendAudience = sendAudience;
    return self();
  }

  /**
   * Sets whether the server's canonical URI is sent as the RFC 8707 {@code resource} for servers
   * whose target sets none. On by default.
   */
  public B sendResource(boolean sendResource) {
    this.sendResource = sendResource;
    return self();
  }

  /**
   * Allows a plain {@code http} token endpoint or issuer on a host other than loopback. Off by
   * default: client secrets and tokens must not cross a network in clear text.
   */
  public B allowInsecureHttp(boolean allowInsecureHttp) {
    this.allowInsecureHttp = allowInsecureHttp;
    return self();
  }

  /** Sets the connect timeout of each token request attempt. Default 5 seconds. */
  public B connectTimeout(Duration connectTimeout) {
    this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
    return self();
  }

  /** Sets the read timeout of each token request attempt. Default 10 seconds. */
  public B readTimeout(Duration readTimeout) {
    this.readTimeout = requireNonNull(readTimeout, "readTimeout");
    return self();
  }

  /**
   * Sets the attempts of a token request in all. Only connect failures and HTTP 5xx answers are
   * retried. Default 3.
   */
  public B maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    return self();
  }

  /** Sets the pause before the first retry; it doubles before each further one. Default 100 ms. */
  public B retryBackoff(Duration retryBackoff) {
    this.retryBackoff = requireNonNull(retryBackoff, "retryBackoff");
    return self();
  }

  /**
   * Sets the clock-skew margin: a token is refreshed once less than this (or less than half its
   * lifetime, if shorter) remains. Until it expires it is still used while the refresh is under
   * way; an expired token is never sent. Default 60 seconds.
   */
  public B clockSkew(Duration clockSkew) {
    this.clockSkew = requireNonNull(clockSkew, "clockSkew");
    return self();
  }

  /**
   * Sets the lifetime assumed for a token issued with neither {@code expires_in} nor a JWT {@code
   * exp} claim. Default 5 minutes.
   */
  public B defaultTokenLifetime(Duration defaultTokenLifetime) {
    this.defaultTokenLifetime = requireNonNull(defaultTokenLifetime, "defaultTokenLifetime");
    return self();
  }

  /** Sets the most tokens cached; the least useful are evicted beyond it. Default 10,000. */
  public B maximumCacheSize(long maximumCacheSize) {
    if (maximumCacheSize < 1) {
      throw new IllegalArgumentException("maximumCacheSize must be at least 1");
    }
    this.maximumCacheSize = maximumCacheSize;
    return self();
  }

  /** Sets the clock tokens expire against (for tests). Default {@link Clock#systemUTC()}. */
  public B clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets the executor token requests run on. Default: a pool of 8 daemon threads per provider, idle
   * threads ending after 30 seconds.
   */
  public B executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
    return self();
  }

  /**
   * Sets a token store shared by every instance of the service (e.g. {@code token-store-redis}):
   * tokens are kept there too, survive restarts, and one instance asks the token endpoint for all.
   * Default: none, tokens in this provider's memory only.
   */
  public B tokenStore(TokenStore tokenStore) {
    this.tokenStore = requireNonNull(tokenStore, "tokenStore");
    return self();
  }

  String name() {
    return name;
  }

  int order() {
    return order;
  }

  /** Builds the shared machinery; {@code exchange} null means client credentials. */
  TokenHeaderResolver buildResolver(
      TokenEndpointClient.@Nullable Exchange exchange,
      TokenHeaderResolver.@Nullable SubjectPolicy subject) {
    if (clientAuthentication == null) {
      throw new IllegalStateException("clientAuthentication must be set");
    }
    if (clientAuthentication.authenticator().method() == ClientAuthenticator.Method.NONE) {
      throw new IllegalStateException(
          "clientAuthentication must authenticate the client (a secret or a private key), not"
              + " none");
    }
    if ((tokenEndpoint == null) == (issuer == null)) {
      throw new IllegalStateException("exactly one of tokenEndpoint and issuer must be set");
    }
    TokenRequestPolicy policy = policy();
    TokenEndpointResolver endpoint =
        tokenEndpoint != null
            ? TokenEndpointResolver.fixed(tokenEndpoint, allowInsecureHttp)
            : TokenEndpointResolver.discovering(
                requireNonNull(issuer), allowInsecureHttp, connectTimeout, readTimeout);
    ClientAuthenticator client = clientAuthentication.authenticator();
    TokenEndpointClient endpointClient =
        new TokenEndpointClient(name, endpoint, client, exchange, policy, clock);
    TokenCache cache = newCache(endpointClient, policy.maxWait());
    return new TokenHeaderResolver(
        new TokenHeaderResolver.Settings(
            name, client.clientId(), subject, servers, targets, scope, sendAudience, sendResource),
        cache);
  }

  TokenRequestPolicy policy() {
    return new TokenRequestPolicy(
        connectTimeout, readTimeout, maxAttempts, retryBackoff, clockSkew, defaultTokenLifetime);
  }

  /** Returns a token cache over {@code fetcher} with this builder's clock, executor and size. */
  TokenCache newCache(TokenFetcher fetcher, Duration maxWait) {
    Executor fetchExecutor = executor != null ? executor : TokenExecutors.newDefault(name);
    return new TokenCache(
        name, fetcher, clock, fetchExecutor, maximumCacheSize, maxWait, tokenStore);
  }

  // Read by builders that assemble their own machinery (cross-app access).

  @Nullable URI tokenEndpoint() {
    return tokenEndpoint;
  }

  @Nullable URI issuer() {
    return issuer;
  }

  @Nullable ClientAuthentication clientAuthentication() {
    return clientAuthentication;
  }

  @Nullable String scope() {
    return scope;
  }

  Set<String> servers() {
    return servers;
  }

  Map<String, TokenTarget> targets() {
    return targets;
  }

  boolean sendResource() {
    return sendResource;
  }

  boolean allowInsecureHttp() {
    return allowInsecureHttp;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration readTimeout() {
    return readTimeout;
  }

  Clock clock() {
    return clock;
  }

  String describeEndpoint() {
    return tokenEndpoint != null
        ? RemoteText.url(tokenEndpoint)
        : "discovered from " + RemoteText.url(issuer);
  }

  String describeClient() {
    return String.valueOf(clientAuthentication);
  }
}
