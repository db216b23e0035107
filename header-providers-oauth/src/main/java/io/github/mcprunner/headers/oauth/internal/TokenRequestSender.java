package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
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
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one token request (any grant) with Nimbus and reads the answer into an {@link IssuedToken}.
 * One request per attempt with connect and read timeouts, redirects not followed; connect failures
 * and HTTP 5xx answers are retried with exponential backoff, nothing else is. Failures never carry
 * a token, secret, code or response body. Not public API.
 */
public final class TokenRequestSender {
  private static final Logger log = LoggerFactory.getLogger(TokenRequestSender.class);

  /** OAuth error codes are short ASCII words; anything else is not echoed. */
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** Caps absurd {@code expires_in} values so that instant arithmetic cannot overflow. */
  private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();

  /**
   * One token request.
   *
   * @param tokenEndpoint where it goes
   * @param grant the grant (client credentials, token exchange, authorization code, refresh token)
   * @param client how the client authenticates
   * @param assertionAudience the {@code aud} of a {@code private_key_jwt} assertion, or null for
   *     the token endpoint
   * @param scope the scope to request, or null
   * @param resource the RFC 8707 resource, or null
   * @param customParameters further form parameters
   */
  public record Grant(
      URI tokenEndpoint,
      AuthorizationGrant grant,
      ClientAuthenticator client,
      @Nullable String assertionAudience,
      @Nullable String scope,
      @Nullable String resource,
      Map<String, String> customParameters) {
    /** Checks and copies. */
    public Grant {
      requireNonNull(tokenEndpoint, "tokenEndpoint");
      requireNonNull(grant, "grant");
      requireNonNull(client, "client");
      customParameters = Map.copyOf(customParameters);
    }
  }

  private final String providerName;
  private final TokenRequestPolicy policy;
  private final Clock clock;

  /** Creates a sender. */
  public TokenRequestSender(String providerName, TokenRequestPolicy policy, Clock clock) {
    this.providerName = requireNonNull(providerName, "providerName");
    this.policy = requireNonNull(policy, "policy");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Reads a token endpoint's HTTP 200 answer. */
  @FunctionalInterface
  public interface ResponseReader<T> {
    /**
     * Returns what the answer holds.
     *
     * @param startMillis when the request was sent (clock millis), for lifetimes
     * @throws TokenFetchException if the answer is not what was asked for (no body in the message)
     */
    T read(HTTPResponse response, long startMillis) throws TokenFetchException;
  }

  /**
   * Sends {@code request}, retrying connect failures and HTTP 5xx answers, and returns the issued
   * access token.
   *
   * @param serverName the MCP server the token is for, for messages
   * @throws TokenFetchException if no token was issued
   */
  public IssuedToken send(Grant request, String serverName) throws TokenFetchException {
    IssuedToken token = send(request, serverName, this::issuedToken);
    if (log.isDebugEnabled()) {
      log.debug(
          "Provider '{}' obtained a token for server '{}' (client '{}'), valid for {} s",
          providerName,
          serverName,
          request.client().clientId(),
          (token.expiresAtMillis() - clock.millis()) / 1000);
    }
    return token;
  }

  /**
   * Sends {@code request}, retrying connect failures and HTTP 5xx answers, and returns what {@code
   * reader} reads from the HTTP 200 answer (for grants whose answer is not an access token to send,
   * such as an ID-JAG).
   *
   * @param serverName the MCP server the request is for, for messages
   * @throws TokenFetchException if the request failed or the reader refused the answer
   */
  public <T> T send(Grant request, String serverName, ResponseReader<T> reader)
      throws TokenFetchException {
    int maxAttempts = policy.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(request, reader);
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

  private <T> T attempt(Grant grant, ResponseReader<T> reader)
      throws TokenFetchException, RetryableFailure {
    long startMillis = clock.millis();
    HTTPRequest request = request(grant, Instant.ofEpochMilli(startMillis));
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

  private static HTTPRequest request(Grant grant, Instant now) throws TokenFetchException {
    URI tokenEndpoint = grant.tokenEndpoint();
    ClientAuthentication authentication =
        grant.client().forRequest(tokenEndpoint, grant.assertionAudience(), now);
    TokenRequest.Builder builder =
        authentication != null
            ? new TokenRequest.Builder(tokenEndpoint, authentication, grant.grant())
            : new TokenRequest.Builder(
                tokenEndpoint, new ClientID(grant.client().clientId()), grant.grant());
    String scope = grant.scope();
    if (scope != null) {
      builder.scope(Scope.parse(scope));
    }
    String resource = grant.resource();
    if (resource != null) {
      builder.resource(URI.create(resource));
    }
    grant.customParameters().forEach(builder::customParameter);
    return builder.build().toHTTPRequest();
  }

  /**
   * Reads an access token answer: a Bearer (or N_A) token that has not expired, with its lifetime
   * ({@code expires_in}, else the JWT's {@code exp}, else the default) and refresh token.
   */
  public IssuedToken issuedToken(HTTPResponse response, long startMillis)
      throws TokenFetchException {
    AccessToken accessToken;
    String refreshToken;
    try {
      Tokens tokens = AccessTokenResponse.parse(response).getTokens();
      accessToken = tokens.getAccessToken();
      RefreshToken issuedRefresh = tokens.getRefreshToken();
      refreshToken = issuedRefresh == null ? null : issuedRefresh.getValue();
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
      return IssuedToken.of(value, expiresAt, expiresAt - margin, refreshToken);
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
    return "TokenRequestSender{provider=" + providerName + "}";
  }
}
