package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.OAuthTokenException;
import io.github.mcprunner.headers.oauth.UserAuthorization;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of {@code McpAuthorizationHeadersProvider}: authorization discovered from the MCP server
 * (MCP authorization specification 2025-11-25). Nothing is contributed to a server until its first
 * 401; {@link #onUnauthorized} then discovers its authorization server, selects the scope and
 * obtains a token (client credentials, or the authorization code grant with the user), one token
 * request per call. Tokens live in a {@link TokenCache}: per server and scope for client
 * credentials, per server and identity for the authorization code grant; discoveries per server for
 * a bounded time. Not public API.
 */
public final class McpAuthorizationResolver implements HeaderResolver {
  private static final Logger log = LoggerFactory.getLogger(McpAuthorizationResolver.class);
  private static final String OFFLINE_ACCESS = "offline_access";

  /** The grant the provider uses. */
  public enum Grant {
    CLIENT_CREDENTIALS,
    AUTHORIZATION_CODE
  }

  /**
   * The settings.
   *
   * @param providerName for messages and logs
   * @param grant the grant
   * @param client the configured client (required for client credentials), or null
   * @param clientMetadataDocument a Client ID Metadata Document URL to use as client id, or null
   * @param redirectUri the redirect URI (authorization code grant), or null
   * @param userAuthorization the user's part (authorization code grant), or null
   * @param clientName the client name sent in dynamic client registration
   * @param servers the servers (names or URIs) the provider applies to; empty for all
   * @param assertionAudienceIssuer whether {@code private_key_jwt} assertions name the issuer
   * @param requestOfflineAccess whether {@code offline_access} is added where the server offers it
   * @param allowInsecureHttp whether plain http is followed to any host
   * @param allowLoopbackHttp whether plain http is followed to loopback hosts
   * @param discoveryLifetime how long a discovery is reused
   * @param policy timeouts, retries and token lifetimes
   * @param maximumCacheSize most tokens (and authorization slots) kept
   * @param allowAnonymousUser whether the authorization code grant serves runs without an identity,
   *     all with one shared sign-in
   * @param trustedIssuers the authorization servers tokens may be requested from
   */
  public record Settings(
      String providerName,
      Grant grant,
      @Nullable ClientAuthenticator client,
      @Nullable URI clientMetadataDocument,
      @Nullable URI redirectUri,
      @Nullable UserAuthorization userAuthorization,
      String clientName,
      Set<String> servers,
      boolean assertionAudienceIssuer,
      boolean requestOfflineAccess,
      boolean allowInsecureHttp,
      boolean allowLoopbackHttp,
      Duration discoveryLifetime,
      TokenRequestPolicy policy,
      long maximumCacheSize,
      boolean allowAnonymousUser,
      TrustedIssuers trustedIssuers) {
    /** Checks the settings fit the grant. */
    public Settings {
      requireNonNull(providerName, "providerName");
      requireNonNull(grant, "grant");
      requireNonNull(trustedIssuers, "trustedIssuers");
      servers = Set.copyOf(servers);
      if (grant == Grant.CLIENT_CREDENTIALS && client == null) {
        throw new IllegalStateException("the client credentials grant needs a client");
      }
      if (grant == Grant.AUTHORIZATION_CODE && (redirectUri == null || userAuthorization == null)) {
        throw new IllegalStateException(
            "the authorization code grant needs a redirect URI and a user authorization");
      }
    }
  }

  /**
   * One authorization: a server, for an identity (authorization code) or for all (client
   * credentials).
   */
  private record SlotKey(String resource, @Nullable String identity) {}

  /** Where a slot's token came from, and how to refresh it. Guarded by {@code lock}. */
  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    final McpServerRef server;
    volatile @Nullable CacheKey key;
    volatile @Nullable String scope;
    volatile @Nullable String resourceMetadata;
    volatile @Nullable String refreshToken;
    volatile AuthorizationDiscovery.@Nullable AuthorizationServer authorizationServer;
    volatile @Nullable ClientAuthenticator client;
    volatile long generation;

    Slot(McpServerRef server) {
      this.server = server;
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final ServerSelection selection;
  private final AuthorizationDiscovery discovery;
  private final TokenRequestSender sender;
  private final GrantStrategy grant;
  private final TokenCache cache;
  private final Cache<String, AuthorizationDiscovery.Discovery> discoveries;
  private final Cache<SlotKey, Slot> slots;
  private final Cache<URI, String> canonical =
      Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();
  private final Cache<String, Boolean> anonymousWarned =
      Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();

  /** Creates the resolver; no network access happens here. */
  public McpAuthorizationResolver(Settings settings, Clock clock, Executor executor) {
    this(settings, clock, executor, null);
  }

  /**
   * Creates the resolver keeping tokens and registrations in {@code store} too (null: in memory
   * only); no network access happens here.
   */
  public McpAuthorizationResolver(
      Settings settings, Clock clock, Executor executor, @Nullable TokenStore store) {
    this.clock = clock;
    this.settings = requireNonNull(settings, "settings");
    requireNonNull(clock, "clock");
    TokenRequestPolicy policy = settings.policy();
    this.selection = new ServerSelection(settings.servers());
    this.discovery =
        new AuthorizationDiscovery(
            settings.allowInsecureHttp(),
            settings.allowLoopbackHttp(),
            policy.connectTimeout(),
            policy.readTimeout());
    this.sender = new TokenRequestSender(settings.providerName(), policy, clock);
    this.grant =
        settings.grant() == Grant.AUTHORIZATION_CODE
            ? new AuthorizationCode(policy, store)
            : new ClientCredentials();
    this.cache =
        new TokenCache(
            settings.providerName(),
            this::fetch,
            clock,
            executor,
            settings.maximumCacheSize(),
            policy.maxWait(),
            store);
    this.discoveries =
        Caffeine.newBuilder()
            .maximumSize(4096)
            .ticker(ClockTicker.of(clock))
            .executor(Runnable::run)
            .expireAfterWrite(settings.discoveryLifetime())
            .build();
    this.slots =
        Caffeine.newBuilder()
            .maximumSize(settings.maximumCacheSize())
            .executor(Runnable::run)
            .build();
  }

  /** Returns whether the provider applies to {@code server}. */
  @Override
  public boolean appliesTo(McpServerRef server) {
    return selection.contains(server);
  }

  /**
   * Returns the {@code Authorization} header for the request, or nothing when no token was obtained
   * for its server (and identity) yet.
   *
   * @throws OAuthTokenException if a token was obtained before but cannot be renewed
   */
  @Override
  public McpHeaders headers(HeaderContext context) {
    requireNonNull(context, "context");
    McpServerRef server = context.server();
    String resource = canonical(server);
    if (resource == null || !appliesTo(server) || anonymousRefused(context)) {
      return McpHeaders.empty();
    }
    Slot slot = slots.getIfPresent(slotKey(resource, context));
    if (slot == null) {
      return McpHeaders.empty();
    }
    CacheKey key = slot.key;
    if (key == null) {
      return McpHeaders.empty();
    }
    if (!grant.canRenew(slot)) {
      // Only the user can renew it: after expiry the server's 401 asks.
      IssuedToken token = cache.getIfValid(key);
      return token == null ? McpHeaders.empty() : token.headers();
    }
    try {
      return cache.get(key, server.name()).headers();
    } catch (TokenFetchException e) {
      if (grant.renewalRefused(slot, e, server)) {
        return McpHeaders.empty();
      }
      throw new OAuthTokenException(
          settings.providerName(),
          server.name(),
          requireNonNull(e.getMessage()),
          e.errorCode(),
          e.httpStatus(),
          e.getCause());
    }
  }

  /**
   * Handles the server's 401 (or 403 {@code insufficient_scope}) challenge: discovers, selects the
   * scope and obtains a token, synchronously; returns whether a retry may now succeed. A refusal
   * that {@link BearerChallenge#classify} finds nothing to answer in (a 403 for another reason)
   * returns false and keeps the token.
   */
  @Override
  public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    requireNonNull(context, "context");
    McpServerRef server = context.server();
    String resource = canonical(server);
    if (resource == null || !appliesTo(server)) {
      return false;
    }
    if (anonymousRefused(context)) {
      if (anonymousWarned.asMap().putIfAbsent(server.name(), Boolean.TRUE) == null) {
        log.warn(
            "Provider '{}' does not authorize server '{}' for a run without an identity: no user is"
                + " signed in for an anonymous run (set RunOptions identity, or allowAnonymousUser"
                + " for a single-user tool)",
            settings.providerName(),
            server.name());
      }
      return false;
    }
    SlotKey slotKey = slotKey(resource, context);
    Slot known = slots.getIfPresent(slotKey);
    CacheKey knownKey = known == null ? null : known.key;
    boolean tokenSent = knownKey != null && cache.getIfValid(knownKey) != null;
    if (BearerChallenge.classify(wwwAuthenticate, tokenSent) == BearerChallenge.Refusal.NONE) {
      // A 403 for something other than scope (or another error): a new token would not help, and
      // the user is not sent to sign in again.
      log.debug(
          "Server '{}' refused a request with a challenge provider '{}' does not answer (neither"
              + " invalid_token nor insufficient_scope); the token is kept",
          server.name(),
          settings.providerName());
      return false;
    }
    BearerChallenge challenge =
        BearerChallenge.parse(wwwAuthenticate).orElse(new BearerChallenge(null, null, null));
    Slot slot = slots.get(slotKey, k -> new Slot(server));
    long seen = slot.generation;
    // Held while the user authorizes, which may take minutes: a waiting request can be
    // interrupted (its run cancelled) and then gives up.
    try {
      slot.lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      if (slot.generation != seen) {
        // Another request of this slot obtained a new token meanwhile: retry with it.
        return true;
      }
      return authorize(slot, resource, challenge, context);
    } catch (TokenFetchException e) {
      log.warn(
          "Provider '{}' could not obtain a token for server '{}' after its challenge: {}",
          settings.providerName(),
          server.name(),
          e.getMessage());
      return false;
    } finally {
      slot.lock.unlock();
    }
  }

  private boolean authorize(
      Slot slot, String resource, BearerChallenge challenge, HeaderContext context)
      throws TokenFetchException {
    McpServerRef server = context.server();
    boolean stepUp = challenge.insufficientScope();
    CacheKey previous = slot.key;
    if (previous != null && !stepUp) {
      // The server refused our token: drop it, and discover again (the server may have moved).
      cache.invalidate(previous);
      slot.refreshToken = null;
      discoveries.invalidate(resource);
    }
    if (challenge.resourceMetadata() != null) {
      slot.resourceMetadata = challenge.resourceMetadata();
    }
    AuthorizationDiscovery.Discovery found = discovered(server, resource, slot.resourceMetadata);
    String scope;
    if (stepUp) {
      String asked =
          challenge.scope() != null
              ? challenge.scope()
              : ScopeSelection.select(null, found.resourceScopes());
      if (previous != null && ScopeSelection.covers(slot.scope, asked)) {
        log.warn(
            "Server '{}' refused the token of provider '{}' for insufficient scope, but asks for"
                + " no scope the token was not requested for; not authorizing again",
            server.name(),
            settings.providerName());
        return false;
      }
      scope = ScopeSelection.union(slot.scope, asked);
    } else {
      scope = ScopeSelection.select(challenge.scope(), found.resourceScopes());
    }
    scope = grant.widen(scope, found);
    CacheKey key = grant.keyFor(context, resource, scope);
    grant.obtain(slot, key, found, scope, context);
    slot.key = key;
    slot.scope = scope;
    if (previous != null && !previous.equals(key)) {
      cache.invalidate(previous);
    }
    slot.generation++;
    log.info(
        "Provider '{}' obtained a token for server '{}' from authorization server {}{}",
        settings.providerName(),
        server.name(),
        found.server().describe(),
        scope == null ? "" : " (scope '" + scope + "')");
    return true;
  }

  private AuthorizationDiscovery.Discovery discovered(
      McpServerRef server, String resource, @Nullable String resourceMetadata)
      throws TokenFetchException {
    AuthorizationDiscovery.Discovery found = discoveries.getIfPresent(resource);
    if (found == null) {
      found = discovery.discover(server, resourceMetadata);
      discoveries.put(resource, found);
    }
    // Checked on every use, before any registration or token request: the authorization server is
    // named by the MCP server, and the configured client's credentials go there.
    String issuer =
        found.legacy() ? AuthorizationDiscovery.origin(server.uri()) : found.server().issuer();
    if (!settings.trustedIssuers().trusts(issuer)) {
      throw new TokenFetchException(
          "the server names authorization server "
              + RemoteText.of(issuer)
              + ", which is not one of the provider's trusted authorization servers"
              + " (authorizationServers); no token is requested there");
    }
    return found;
  }

  /** The {@link TokenCache}'s fetcher: client credentials, or a refresh with the refresh token. */
  private IssuedToken fetch(CacheKey key, String serverName) throws TokenFetchException {
    Slot slot = slots.getIfPresent(new SlotKey(requireNonNull(key.resource()), key.identity()));
    if (slot == null) {
      throw new TokenFetchException("the server's authorization is no longer known");
    }
    return grant.renew(slot, key, serverName);
  }

  private SlotKey slotKey(String resource, HeaderContext context) {
    return new SlotKey(resource, grant.identityOf(context));
  }

  /**
   * The user a token of the authorization code grant belongs to: the run's identity, or {@code ""}
   * (the one shared anonymous user) when anonymous runs are allowed.
   */
  private static String userOf(HeaderContext context) {
    return context.identity().filter(id -> !id.isBlank()).orElse("");
  }

  /**
   * Whether the request is of a run without an identity, which the authorization code grant does
   * not serve unless anonymous runs are allowed: tokens are kept per identity, so two users without
   * one would share a token.
   */
  private boolean anonymousRefused(HeaderContext context) {
    return grant.refusesAnonymous(context);
  }

  private @Nullable String canonical(McpServerRef server) {
    String known = canonical.getIfPresent(server.uri());
    if (known != null) {
      return known;
    }
    try {
      String value = CanonicalUri.of(server.uri());
      canonical.put(server.uri(), value);
      return value;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Returns the token cache, for tests. */
  public TokenCache cache() {
    return cache;
  }

  /** Returns the registrar of the authorization code grant, or null, for tests. */
  public @Nullable ClientRegistrar registrar() {
    return grant.registrar();
  }

  @Override
  public String toString() {
    return "McpAuthorizationResolver{provider="
        + settings.providerName()
        + ", grant="
        + settings.grant()
        + ", servers="
        + (settings.servers().isEmpty() ? "all" : settings.servers())
        + "}";
  }

  /**
   * What differs between the grants: whose token a slot holds, how the first token is obtained
   * after a challenge and how it is renewed. One per resolver, chosen by the configured grant.
   */
  private interface GrantStrategy {
    /** The identity a slot and its token belong to; null when one token serves every run. */
    @Nullable String identityOf(HeaderContext context);

    /** Whether the grant does not serve this run (a run without an identity). */
    boolean refusesAnonymous(HeaderContext context);

    /** Whether the slot's token can be renewed without the user. */
    boolean canRenew(Slot slot);

    /**
     * Handles a failed renewal; returns true if the slot now waits for the server's next 401 (the
     * user must authorize again) instead of failing the request.
     */
    boolean renewalRefused(Slot slot, TokenFetchException failure, McpServerRef server);

    /** Returns the scope to request, given the one selected from the challenge. */
    @Nullable String widen(@Nullable String scope, AuthorizationDiscovery.Discovery found);

    /** Returns the cache key of the slot's new token. */
    CacheKey keyFor(HeaderContext context, String resource, @Nullable String scope);

    /** Obtains the slot's first token (or a new one) after a challenge, into the cache. */
    void obtain(
        Slot slot,
        CacheKey key,
        AuthorizationDiscovery.Discovery found,
        @Nullable String scope,
        HeaderContext context)
        throws TokenFetchException;

    /** Renews the slot's token: the {@link TokenCache}'s fetcher. */
    IssuedToken renew(Slot slot, CacheKey key, String serverName) throws TokenFetchException;

    /** The registrar of dynamically registered clients, or null. */
    @Nullable ClientRegistrar registrar();
  }

  /** Client credentials: one token per server for every run, requested again when it expires. */
  private final class ClientCredentials implements GrantStrategy {
    @Override
    public @Nullable String identityOf(HeaderContext context) {
      return null;
    }

    @Override
    public boolean refusesAnonymous(HeaderContext context) {
      return false;
    }

    @Override
    public boolean canRenew(Slot slot) {
      return true;
    }

    @Override
    public boolean renewalRefused(Slot slot, TokenFetchException failure, McpServerRef server) {
      return false;
    }

    @Override
    public @Nullable String widen(@Nullable String scope, AuthorizationDiscovery.Discovery found) {
      return scope;
    }

    @Override
    public CacheKey keyFor(HeaderContext context, String resource, @Nullable String scope) {
      return new CacheKey(null, settings.providerName(), null, resource, scope);
    }

    @Override
    public void obtain(
        Slot slot,
        CacheKey key,
        AuthorizationDiscovery.Discovery found,
        @Nullable String scope,
        HeaderContext context)
        throws TokenFetchException {
      slot.authorizationServer = found.server();
      slot.client = settings.client();
      cache.invalidate(key);
      cache.get(key, context.server().name());
    }

    @Override
    public IssuedToken renew(Slot slot, CacheKey key, String serverName)
        throws TokenFetchException {
      AuthorizationDiscovery.Discovery found =
          discovered(slot.server, requireNonNull(key.resource()), slot.resourceMetadata);
      AuthorizationDiscovery.AuthorizationServer server = found.server();
      return sender.send(
          new TokenRequestSender.Grant(
              server.tokenEndpoint(),
              new ClientCredentialsGrant(),
              requireNonNull(settings.client()),
              settings.assertionAudienceIssuer() ? server.issuer() : null,
              key.scope(),
              key.resource(),
              Map.of()),
          serverName);
    }

    @Override
    public @Nullable ClientRegistrar registrar() {
      return null;
    }
  }

  /**
   * Authorization code with the user: one token per server and run identity, obtained when the user
   * authorizes, renewed with its refresh token while there is one.
   */
  /** A server that does not rotate refresh tokens keeps the one it issued first: so do we. */
  private static IssuedToken keepingRefreshToken(IssuedToken renewed, String refreshToken) {
    return renewed.refreshToken() != null
        ? renewed
        : IssuedToken.of(
            renewed.value(), renewed.expiresAtMillis(), renewed.refreshAtMillis(), refreshToken);
  }

  private final class AuthorizationCode implements GrantStrategy {
    private final AuthorizationCodeFlow flow;
    private final ClientRegistrar registrar;

    AuthorizationCode(TokenRequestPolicy policy, @Nullable TokenStore store) {
      URI redirect = requireNonNull(settings.redirectUri());
      this.flow =
          new AuthorizationCodeFlow(
              requireNonNull(settings.userAuthorization()),
              redirect,
              sender,
              settings.assertionAudienceIssuer());
      this.registrar =
          new ClientRegistrar(
              settings.providerName(),
              settings.clientName(),
              redirect,
              policy.connectTimeout(),
              policy.readTimeout(),
              policy.maxWait(),
              store);
    }

    @Override
    public String identityOf(HeaderContext context) {
      return userOf(context);
    }

    @Override
    public boolean refusesAnonymous(HeaderContext context) {
      return !settings.allowAnonymousUser()
          && context.identity().filter(id -> !id.isBlank()).isEmpty();
    }

    @Override
    public boolean canRenew(Slot slot) {
      return slot.refreshToken != null;
    }

    @Override
    public boolean renewalRefused(Slot slot, TokenFetchException failure, McpServerRef server) {
      if (failure.httpStatus() < 400 || failure.httpStatus() >= 500) {
        return false;
      }
      // The refresh token was refused: the user must authorize again, on the server's 401.
      slot.refreshToken = null;
      log.warn(
          "Provider '{}' could not refresh the token for server '{}': {}; the user must"
              + " authorize again",
          settings.providerName(),
          server.name(),
          failure.getMessage());
      return true;
    }

    @Override
    public @Nullable String widen(@Nullable String scope, AuthorizationDiscovery.Discovery found) {
      if (settings.requestOfflineAccess()
          && scope != null
          && found.server().scopesSupported().contains(OFFLINE_ACCESS)) {
        return ScopeSelection.union(scope, OFFLINE_ACCESS);
      }
      return scope;
    }

    @Override
    public CacheKey keyFor(HeaderContext context, String resource, @Nullable String scope) {
      return CacheKey.forIdentity(userOf(context), settings.providerName(), resource, scope);
    }

    @Override
    public void obtain(
        Slot slot,
        CacheKey key,
        AuthorizationDiscovery.Discovery found,
        @Nullable String scope,
        HeaderContext context)
        throws TokenFetchException {
      ClientAuthenticator client = clientFor(found.server());
      String serverName = context.server().name();
      IssuedToken token;
      try {
        IssuedToken resumed = resumed(key, found.server(), client, serverName);
        token =
            resumed != null ? resumed : flow.authorize(found, client, scope, context, serverName);
      } catch (TokenFetchException e) {
        forgetRegistrationIfRefused(found.server(), client, e);
        throw e;
      }
      slot.authorizationServer = found.server();
      slot.client = client;
      slot.refreshToken = token.refreshToken();
      cache.put(key, token.refreshToken() == null ? token.withoutRefreshAhead() : token);
    }

    @Override
    public IssuedToken renew(Slot slot, CacheKey key, String serverName)
        throws TokenFetchException {
      String refreshToken = slot.refreshToken;
      // Another instance may have renewed the token and been issued a new refresh token since.
      IssuedToken latest = refreshToken == null ? null : cache.stored(key);
      if (latest != null && latest.refreshToken() != null) {
        refreshToken = latest.refreshToken();
      }
      AuthorizationDiscovery.AuthorizationServer server = slot.authorizationServer;
      ClientAuthenticator client = slot.client;
      if (refreshToken == null || server == null || client == null) {
        throw new TokenFetchException("no refresh token; the user must authorize again");
      }
      IssuedToken token;
      try {
        token =
            flow.refresh(server, client, refreshToken, requireNonNull(key.resource()), serverName);
      } catch (TokenFetchException e) {
        forgetRegistrationIfRefused(server, client, e);
        throw e;
      }
      token = keepingRefreshToken(token, refreshToken);
      if (Objects.equals(slot.key, key)) {
        slot.refreshToken = token.refreshToken();
      }
      return token;
    }

    /**
     * The user's token from the shared store (kept by another instance, or before a restart): as is
     * while valid, else renewed with its refresh token; null when the user must authorize.
     */
    private @Nullable IssuedToken resumed(
        CacheKey key,
        AuthorizationDiscovery.AuthorizationServer server,
        ClientAuthenticator client,
        String serverName)
        throws TokenFetchException {
      IssuedToken stored = cache.stored(key);
      if (stored == null) {
        return null;
      }
      long now = clock.millis();
      if (stored.isValidAt(now) && !stored.needsRefreshAt(now)) {
        return stored;
      }
      String refreshToken = stored.refreshToken();
      if (refreshToken == null) {
        return null;
      }
      try {
        IssuedToken renewed =
            flow.refresh(server, client, refreshToken, requireNonNull(key.resource()), serverName);
        return keepingRefreshToken(renewed, refreshToken);
      } catch (TokenFetchException e) {
        if (e.httpStatus() >= 400 && e.httpStatus() < 500) {
          log.info(
              "Provider '{}' could not renew the stored token for server '{}': {}; the user"
                  + " authorizes again",
              settings.providerName(),
              serverName,
              e.getMessage());
          return null;
        }
        throw e;
      }
    }

    @Override
    public ClientRegistrar registrar() {
      return registrar;
    }

    private ClientAuthenticator clientFor(AuthorizationDiscovery.AuthorizationServer server)
        throws TokenFetchException {
      ClientAuthenticator configured = settings.client();
      if (configured != null) {
        return configured;
      }
      URI document = settings.clientMetadataDocument();
      if (document != null && server.clientIdMetadataDocumentSupported()) {
        return ClientAuthenticator.none(document.toString());
      }
      if (server.registrationEndpoint() != null) {
        return registrar.clientFor(server);
      }
      throw new TokenFetchException(
          "authorization server "
              + server.describe()
              + " offers no dynamic client registration"
              + (document == null ? "" : " nor client ID metadata documents")
              + ", and no client is configured");
    }

    /**
     * Drops a dynamically registered client the authorization server no longer knows ({@code
     * invalid_client}: deleted, expired), so that the next authorization registers again.
     */
    private void forgetRegistrationIfRefused(
        AuthorizationDiscovery.AuthorizationServer server,
        ClientAuthenticator client,
        TokenFetchException failure) {
      if ("invalid_client".equals(failure.errorCode())) {
        registrar.forget(server, client);
      }
    }
  }
}
