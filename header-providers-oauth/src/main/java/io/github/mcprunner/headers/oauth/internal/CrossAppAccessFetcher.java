package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains an MCP server's access token by Enterprise-Managed Authorization (cross-app access, the
 * MCP extension SEP-990 over draft-ietf-oauth-identity-assertion-authz-grant), in two token
 * requests:
 *
 * <ol>
 *   <li>At the enterprise IdP, an RFC 8693 token exchange of the user's ID token for an Identity
 *       Assertion JWT Authorization Grant (ID-JAG): {@code requested_token_type} {@code
 *       urn:ietf:params:oauth:token-type:id-jag}, {@code audience} the MCP authorization server's
 *       issuer, {@code resource} the MCP server. The answer must say {@code issued_token_type}
 *       ID-JAG and {@code token_type} {@code N_A}.
 *   <li>At the MCP authorization server, the RFC 7523 JWT bearer grant with the ID-JAG as {@code
 *       assertion}, authenticated as the client registered there; its access token is the result.
 * </ol>
 *
 * <p>The {@link CacheKey} carries the ID token as subject, the authorization server's issuer as
 * audience, the resource and the scope. The ID-JAG lives for this one fetch only. Failures name the
 * step; nothing logged or thrown holds a token. Not public API.
 */
public final class CrossAppAccessFetcher implements TokenFetcher {
  private static final Logger log = LoggerFactory.getLogger(CrossAppAccessFetcher.class);

  /** {@code urn:ietf:params:oauth:token-type:id-jag}. */
  public static final String ID_JAG_TYPE = "urn:ietf:params:oauth:token-type:id-jag";

  private static final TokenTypeURI ID_JAG = idJagType();

  /** The first step's failures start with this. */
  public static final String IDP_STEP = "token exchange for an ID-JAG at the enterprise IdP";

  /** The second step's failures start with this. */
  public static final String AS_STEP = "JWT bearer grant at the MCP authorization server";

  /** Creates the client of one authorization server's token endpoint. */
  @FunctionalInterface
  public interface AuthorizationServerClients {
    /**
     * Returns a client of the token endpoint of {@code issuer}: {@code tokenEndpoint}, or the one
     * discovered from the issuer when null.
     *
     * @throws IllegalArgumentException if an URL is refused (plain http off loopback)
     */
    TokenEndpointClient create(URI issuer, @Nullable URI tokenEndpoint);
  }

  /** An authorization server's token endpoint client and the endpoint it was made for. */
  private record Server(@Nullable URI tokenEndpoint, TokenEndpointClient client) {}

  /** Most located authorization servers kept. */
  private static final int MAXIMUM_LOCATED = 4096;

  private final String providerName;
  private final TokenEndpointClient idp;
  private final boolean sendResourceToServer;
  private final AuthorizationServerClients clients;
  private final Clock clock;

  /** The configured authorization server(s): never replaced, never evicted. */
  private final ConcurrentHashMap<String, Server> configured = new ConcurrentHashMap<>();

  /** Authorization servers as last located: replaced when located anew, bounded. */
  private final Cache<String, Server> located =
      Caffeine.newBuilder().maximumSize(MAXIMUM_LOCATED).executor(Runnable::run).build();

  /**
   * Creates a fetcher.
   *
   * @param idp the client of the IdP's token endpoint
   * @param sendResourceToServer whether the JWT bearer grant also sends {@code resource}
   * @param clients makes the clients of the authorization servers' token endpoints
   */
  public CrossAppAccessFetcher(
      String providerName,
      TokenEndpointClient idp,
      boolean sendResourceToServer,
      AuthorizationServerClients clients,
      Clock clock) {
    this.providerName = requireNonNull(providerName, "providerName");
    this.idp = requireNonNull(idp, "idp");
    this.sendResourceToServer = sendResourceToServer;
    this.clients = requireNonNull(clients, "clients");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Makes the configured authorization server {@code issuer} known with its {@code tokenEndpoint}
   * (null: discovered). A configured server is kept for the fetcher's life.
   *
   * @throws IllegalArgumentException if the issuer is already known with another token endpoint, or
   *     an URL is refused
   */
  public void register(URI issuer, @Nullable URI tokenEndpoint) {
    Server known =
        configured.computeIfAbsent(
            issuer.toString(),
            i -> new Server(tokenEndpoint, clients.create(issuer, tokenEndpoint)));
    if (tokenEndpoint != null
        && known.tokenEndpoint() != null
        && !Objects.equals(known.tokenEndpoint(), tokenEndpoint)) {
      throw new IllegalArgumentException(
          "authorization server "
              + RemoteText.url(issuer)
              + " is named with two different token endpoints");
    }
  }

  /**
   * Makes the authorization server {@code issuer} known as a locator just found it, with its {@code
   * tokenEndpoint} (null: discovered): an entry made for another endpoint is replaced (the server's
   * metadata changed since it was last located). A configured issuer is not replaced.
   *
   * @throws IllegalArgumentException if the issuer is configured with another token endpoint, or an
   *     URL is refused
   */
  public void located(URI issuer, @Nullable URI tokenEndpoint) {
    String key = issuer.toString();
    if (configured.containsKey(key)) {
      register(issuer, tokenEndpoint);
      return;
    }
    Server known = located.getIfPresent(key);
    if (known != null && Objects.equals(known.tokenEndpoint(), tokenEndpoint)) {
      return;
    }
    // Made outside any cache computation: creating a client may check URLs, never blocks long.
    located.put(key, new Server(tokenEndpoint, clients.create(issuer, tokenEndpoint)));
    if (known != null) {
      log.info(
          "Provider '{}' now requests tokens of authorization server {} at {}",
          providerName,
          RemoteText.url(issuer),
          tokenEndpoint == null
              ? "the token endpoint discovered from its metadata"
              : RemoteText.url(tokenEndpoint));
    }
  }

  private Server server(String issuer) throws TokenFetchException {
    Server server = configured.get(issuer);
    if (server == null) {
      server = located.getIfPresent(issuer);
    }
    if (server == null) {
      // Evicted since it was located (the issuer came from a located target): discover its
      // token endpoint from its metadata.
      try {
        server = new Server(null, clients.create(URI.create(issuer), null));
      } catch (IllegalArgumentException e) {
        throw new TokenFetchException(
            "authorization server " + RemoteText.url(issuer) + " is refused");
      }
      located.put(issuer, server);
    }
    return server;
  }

  @Override
  public IssuedToken fetch(CacheKey key, String serverName) throws TokenFetchException {
    String idToken = key.subjectToken();
    String issuer = key.audience();
    if (idToken == null || issuer == null) {
      throw new TokenFetchException("cross-app access needs an ID token and an issuer");
    }
    Server server = server(issuer);
    String idJag = idJag(idToken, issuer, key, serverName);
    IssuedToken token;
    try {
      token =
          server
              .client()
              .request(
                  serverName,
                  jwtBearerGrant(idJag),
                  key.scope(),
                  sendResourceToServer ? key.resource() : null,
                  server.client()::issuedToken);
    } catch (TokenFetchException e) {
      throw step(AS_STEP, e);
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "Provider '{}' obtained a token for server '{}' from authorization server {} by"
              + " cross-app access, valid for {} s",
          providerName,
          serverName,
          RemoteText.url(issuer),
          (token.expiresAtMillis() - clock.millis()) / 1000);
    }
    return token;
  }

  private String idJag(String idToken, String issuer, CacheKey key, String serverName)
      throws TokenFetchException {
    TokenExchangeGrant grant =
        new TokenExchangeGrant(
            new TypelessToken(idToken),
            TokenTypeURI.ID_TOKEN,
            null,
            null,
            ID_JAG,
            List.of(new Audience(issuer)));
    try {
      return idp.request(
          serverName, grant, key.scope(), key.resource(), CrossAppAccessFetcher::readIdJag);
    } catch (TokenFetchException e) {
      throw step(IDP_STEP, e);
    }
  }

  /** Returns the ID-JAG of the IdP's answer, after checking the answer says it is one. */
  private static String readIdJag(HTTPResponse response, long startMillis)
      throws TokenFetchException {
    AccessToken token;
    try {
      token = AccessTokenResponse.parse(response).getTokens().getAccessToken();
    } catch (ParseException | RuntimeException e) {
      // The parser's message may quote the body: leave it out.
      throw new TokenFetchException(
          "token endpoint answered HTTP 200 with a malformed token response", null, 200, null);
    }
    if (!ID_JAG.equals(token.getIssuedTokenType())) {
      throw new TokenFetchException(
          "token endpoint issued "
              + (token.getIssuedTokenType() == null
                  ? "a token without issued_token_type"
                  : "a token of issued_token_type '"
                      + RemoteText.of(token.getIssuedTokenType())
                      + "'")
              + ", not an ID-JAG",
          null,
          200,
          null);
    }
    if (!AccessTokenType.N_A.equals(token.getType())) {
      throw new TokenFetchException(
          "token endpoint issued an ID-JAG of token_type '"
              + RemoteText.of(token.getType())
              + "'; an ID-JAG is not an access token and must be of token_type 'N_A'",
          null,
          200,
          null);
    }
    return token.getValue();
  }

  private static JWTBearerGrant jwtBearerGrant(String idJag) throws TokenFetchException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(idJag);
    } catch (java.text.ParseException | RuntimeException e) {
      throw new TokenFetchException(step(IDP_STEP, "the IdP issued an ID-JAG that is not a JWT"));
    }
    if (jwt instanceof SignedJWT) {
      return new JWTBearerGrant((SignedJWT) jwt);
    }
    if (jwt instanceof EncryptedJWT) {
      return new JWTBearerGrant((EncryptedJWT) jwt);
    }
    throw new TokenFetchException(step(IDP_STEP, "the IdP issued an unsigned ID-JAG"));
  }

  private static TokenFetchException step(String step, TokenFetchException failure) {
    return new TokenFetchException(
        step(step, requireNonNull(failure.getMessage())),
        failure.errorCode(),
        failure.httpStatus(),
        failure.getCause());
  }

  private static String step(String step, String problem) {
    return step + " failed: " + problem;
  }

  private static TokenTypeURI idJagType() {
    try {
      return TokenTypeURI.parse(ID_JAG_TYPE);
    } catch (ParseException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public String toString() {
    return "CrossAppAccessFetcher{provider=" + providerName + ", idp=" + idp + "}";
  }
}
