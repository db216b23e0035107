package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests tokens from the token endpoint with Nimbus: the client credentials grant, or the RFC
 * 8693 token exchange grant when an {@link Exchange} is given. One request per attempt with connect
 * and read timeouts; connect failures and HTTP 5xx answers are retried with exponential backoff,
 * nothing else is. Failures never carry a token, secret or response body. Not public API.
 */
public final class TokenEndpointClient implements TokenFetcher {
  private static final Logger log = LoggerFactory.getLogger(TokenEndpointClient.class);

  /** OAuth error codes are short ASCII words; anything else is not echoed. */
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** Caps absurd {@code expires_in} values so that instant arithmetic cannot overflow. */
  private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();

  /**
   * What a token exchange sends besides the subject token.
   *
   * @param subjectTokenType the {@code subject_token_type}
   * @param requestedTokenType the {@code requested_token_type}, or null to leave it out
   */
  public record Exchange(TokenTypeURI subjectTokenType, @Nullable TokenTypeURI requestedTokenType) {
    /** Checks the subject token type is set. */
    public Exchange {
      requireNonNull(subjectTokenType, "subjectTokenType");
    }
  }

  private final String providerName;
  private final TokenEndpointResolver endpoint;
  private final ClientAuthenticator client;
  private final @Nullable Exchange exchange;
  private final TokenRequestPolicy policy;
  private final Clock clock;

  /** Creates a client; {@code exchange} null means the client credentials grant. */
  public TokenEndpointClient(
      String providerName,
      TokenEndpointResolver endpoint,
      ClientAuthenticator client,
      @Nullable Exchange exchange,
      TokenRequestPolicy policy,
      Clock clock) {
    this.providerName = requireNonNull(providerName, "providerName");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.client = requireNonNull(client, "client");
    this.exchange = exchange;
    this.policy = requireNonNull(policy, "policy");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Reads a token endpoint's HTTP 200 answer.
   *
   * @param <T> what is read
   */
  @FunctionalInterface
  public interface ResponseReader<T> {
    /**
     * Returns what the answer holds.
     *
     * @param startMillis when the request was sent, for lifetimes
     * @throws TokenFetchException if the answer is malformed or not acceptable
     */
    T read(HTTPResponse response, long startMillis) throws TokenFetchException;
  }

  /**
   * Builds the HTTP request of one attempt (anew per attempt: client assertions are single-use).
   */
  @FunctionalInterface
  private interface RequestFactory {
    HTTPRequest build(URI tokenEndpoint, Instant now) throws TokenFetchException;
  }

  @Override
  public IssuedToken fetch(CacheKey key, String serverName) throws TokenFetchException {
    IssuedToken token = send(serverName, (uri, now) -> request(uri, key, now), this::issuedToken);
    if (log.isDebugEnabled()) {
      log.debug(
          "Provider '{}' obtained a token for server '{}' (client '{}'), valid for {} s",
          providerName,
          serverName,
          client.clientId(),
          (token.expiresAtMillis() - clock.millis()) / 1000);
    }
    return token;
  }

  /**
   * Requests a token with any {@code grant} at this client's token endpoint, authenticated as this
   * client, with the same timeouts, retries and failure rules as {@link #fetch}; the HTTP 200
   * answer is read by {@code reader}.
   *
   * @param scope the {@code scope} to send, or null
   * @param resource the RFC 8707 {@code resource} to send, or null
   * @throws TokenFetchException if no acceptable answer was obtained
   */
  public <T> T request(
      String serverName,
      AuthorizationGrant grant,
      @Nullable String scope,
      @Nullable String resource,
      ResponseReader<T> reader)
      throws TokenFetchException {
    requireNonNull(grant, "grant");
    return send(serverName, (uri, now) -> build(uri, now, grant, scope, resource, null), reader);
  }

  private <T> T send(String serverName, RequestFactory factory, ResponseReader<T> reader)
      throws TokenFetchException {
    URI tokenEndpoint = endpoint.tokenEndpoint();
    int maxAttempts = policy.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(tokenEndpoint, factory, reader);
      } catch (RetryableFailure retryable) {
        TokenFetchException failure = retryable.failure;
        if (attempt >= maxAttempts) {
          if (maxAttempts == 1) {
            throw failure;
          }
          throw new TokenFetchException(
              failure.getMessage() + " (after " + maxAttempts + " attempts)",
              failure.errorCode(),
              failure.httpStatus(),
              failure.getCause());
        }
        long pause = policy.backoffMillis(attempt);
        log.warn(
            "Token request of provider '{}' for server '{}' failed: {}; retry {} of {} in {} ms",
            providerName,
            serverName,
            failure.getMessage(),
            attempt,
            maxAttempts - 1,
            pause);
        pause(pause);
      }
    }
  }

  private <T> T attempt(URI tokenEndpoint, RequestFactory factory, ResponseReader<T> reader)
      throws TokenFetchException, RetryableFailure {
    long startMillis = clock.millis();
    HTTPRequest request = factory.build(tokenEndpoint, Instant.ofEpochMilli(startMillis));
    request.setConnectTimeout((int) policy.connectTimeout().toMillis());
    request.setReadTimeout((int) policy.readTimeout().toMillis());
    request.setFollowRedirects(false);
    HTTPResponse response;
    try {
      response = request.send();
    } catch (IOException e) {
      TokenFetchException failure = ioFailure(e);
      if (isConnectFailure(e)) {
        throw new RetryableFailure(failure);
      }
      throw failure;
    }
    int status = response.getStatusCode();
    if (status == HTTPResponse.SC_OK) {
      return reader.read(response, startMillis);
    }
    String code = errorCode(response);
    TokenFetchException failure =
        new TokenFetchException(
            "token endpoint answered HTTP "
                + status
                + (code == null ? "" : " with OAuth error '" + code + "'"),
            code,
            status,
            null);
    if (status >= 500) {
      throw new RetryableFailure(failure);
    }
    throw failure;
  }

  private HTTPRequest request(URI tokenEndpoint, CacheKey key, Instant now)
      throws TokenFetchException {
    AuthorizationGrant grant;
    if (exchange != null) {
      String subject = key.subjectToken();
      if (subject == null) {
        throw new TokenFetchException("token exchange needs a subject token");
      }
      String audience = key.audience();
      grant =
          new TokenExchangeGrant(
              new TypelessToken(subject),
              exchange.subjectTokenType(),
              null,
              null,
              exchange.requestedTokenType(),
              audience == null ? null : List.of(new Audience(audience)));
    } else {
      grant = new ClientCredentialsGrant();
    }
    return build(
        tokenEndpoint,
        now,
        grant,
        key.scope(),
        key.resource(),
        // Not part of RFC 6749's client credentials grant, but the usual way (RFC 8693's name) to
        // ask for an audience; sent only when configured.
        exchange == null ? key.audience() : null);
  }

  private HTTPRequest build(
      URI tokenEndpoint,
      Instant now,
      AuthorizationGrant grant,
      @Nullable String scope,
      @Nullable String resource,
      @Nullable String audienceParameter)
      throws TokenFetchException {
    ClientAuthentication authentication = client.forRequest(tokenEndpoint, now);
    TokenRequest.Builder builder =
        authentication != null
            ? new TokenRequest.Builder(tokenEndpoint, authentication, grant)
            : new TokenRequest.Builder(tokenEndpoint, new ClientID(client.clientId()), grant);
    if (scope != null) {
      builder.scope(Scope.parse(scope));
    }
    if (resource != null) {
      builder.resource(URI.create(resource));
    }
    if (audienceParameter != null) {
      builder.customParameter("audience", audienceParameter);
    }
    return builder.build().toHTTPRequest();
  }

  /**
   * Returns the Bearer access token of an HTTP 200 token response, with its expiry and refresh
   * instants: a {@link ResponseReader} for grants that end in a token to send.
   *
   * @throws TokenFetchException if the answer is malformed, not a Bearer token, already expired or
   *     not sendable in a header
   */
  public IssuedToken issuedToken(HTTPResponse response, long startMillis)
      throws TokenFetchException {
    AccessToken accessToken;
    try {
      accessToken = AccessTokenResponse.parse(response).getTokens().getAccessToken();
    } catch (ParseException | RuntimeException e) {
      // The parser's message may quote the body, which may hold a token: leave it out.
      throw new TokenFetchException(
          "token endpoint answered HTTP 200 with a malformed token response", null, 200, null);
    }
    AccessTokenType type = accessToken.getType();
    if (!AccessTokenType.BEARER.equals(type) && !AccessTokenType.N_A.equals(type)) {
      throw new TokenFetchException(
          "token endpoint issued a token of type '" + type + "'; only Bearer tokens can be sent",
          null,
          200,
          null);
    }
    String value = accessToken.getValue();
    long expiresAt = expiresAt(accessToken, startMillis);
    long now = clock.millis();
    if (expiresAt <= now) {
      throw new TokenFetchException(
          "token endpoint issued a token that has already expired", null, 200, null);
    }
    long lifetime = expiresAt - startMillis;
    long margin = Math.min(policy.clockSkew().toMillis(), lifetime / 2);
    try {
      return IssuedToken.of(value, expiresAt, expiresAt - margin);
    } catch (InvalidMcpHeaderException e) {
      throw new TokenFetchException(
          "token endpoint issued a token that cannot be sent in an HTTP header", null, 200, null);
    }
  }

  /**
   * Returns when the token expires: {@code expires_in} counted from when the request was sent, or
   * the JWT's {@code exp} when it is earlier, or the default lifetime when neither is known.
   */
  private long expiresAt(AccessToken token, long startMillis) {
    long expiresAt = Long.MAX_VALUE;
    long lifetimeSeconds = token.getLifetime();
    if (lifetimeSeconds > 0) {
      expiresAt = startMillis + Math.min(lifetimeSeconds, MAX_LIFETIME_SECONDS) * 1000;
    }
    Instant jwtExpiry = jwtExpiry(token.getValue());
    if (jwtExpiry != null) {
      expiresAt = Math.min(expiresAt, jwtExpiry.toEpochMilli());
    }
    if (expiresAt == Long.MAX_VALUE) {
      expiresAt = startMillis + policy.defaultLifetime().toMillis();
    }
    return expiresAt;
  }

  /** Returns the {@code exp} of a JWS or unsecured JWT, or null for any other token. */
  private static @Nullable Instant jwtExpiry(String value) {
    int dots = 0;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '.') {
        dots++;
      }
    }
    if (dots != 2) {
      return null;
    }
    try {
      JWT jwt = JWTParser.parse(value);
      Date exp = jwt.getJWTClaimsSet().getExpirationTime();
      return exp == null ? null : exp.toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable String errorCode(HTTPResponse response) {
    try {
      ErrorObject error = TokenErrorResponse.parse(response).getErrorObject();
      String code = error == null ? null : error.getCode();
      if (code == null) {
        return null;
      }
      return ERROR_CODE.matcher(code).matches() ? code : "unrecognised";
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isConnectFailure(IOException e) {
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return true;
    }
    // HttpURLConnection reports both timeouts with this type; only a connect timeout is safe to
    // retry, since after it the request was never sent.
    return e instanceof SocketTimeoutException
        && e.getMessage() != null
        && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
  }

  private TokenFetchException ioFailure(IOException e) {
    String problem;
    if (isConnectFailure(e)) {
      problem =
          e instanceof SocketTimeoutException
              ? "could not connect to the token endpoint within "
                  + policy.connectTimeout().toMillis()
                  + " ms"
              : "could not connect to the token endpoint";
    } else if (e instanceof SocketTimeoutException) {
      problem = "token endpoint did not answer within " + policy.readTimeout().toMillis() + " ms";
    } else if (e instanceof UnknownHostException) {
      problem = "token endpoint host is unknown";
    } else {
      problem = "I/O error talking to the token endpoint (" + e.getClass().getSimpleName() + ")";
    }
    return new TokenFetchException(problem, null, 0, e);
  }

  private static void pause(long millis) throws TokenFetchException {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException("interrupted while waiting to retry the token request");
    }
  }

  /** Marks a failure that may succeed on another attempt. */
  private static final class RetryableFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient TokenFetchException failure;

    RetryableFailure(TokenFetchException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  @Override
  public String toString() {
    return "TokenEndpointClient{endpoint=" + endpoint.describe() + ", client=" + client + "}";
  }
}
