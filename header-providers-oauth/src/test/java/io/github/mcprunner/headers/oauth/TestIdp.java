package io.github.mcprunner.headers.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The real mock-oauth2-server on loopback, issuing real signed JWTs for client credentials and
 * token exchange. Its tokens are dated by the test's clock, their lifetime is settable, and their
 * audience follows the request: the {@code audience} parameter, else the RFC 8707 {@code resource}.
 * Token requests are counted from the server's own request log.
 */
public final class TestIdp implements AutoCloseable {
  public static final String ISSUER_ID = "idp";

  private final MockOAuth2Server server;
  private final MockWebServer web;
  private final AtomicLong lifetimeSeconds = new AtomicLong(3600);
  private final AtomicInteger taken = new AtomicInteger();

  public TestIdp(Clock clock) {
    MockWebServerWrapper http = new MockWebServerWrapper();
    OAuth2TokenProvider tokens = new OAuth2TokenProvider(new KeyProvider(), clock::instant);
    OAuth2Config config =
        new OAuth2Config(false, null, null, false, tokens, Set.of(new Callback()), http);
    this.server = new MockOAuth2Server(config);
    this.web = http.getMockWebServer();
    server.start();
  }

  /** Sets the lifetime of the tokens issued from now on. */
  public void lifetime(Duration lifetime) {
    lifetimeSeconds.set(lifetime.toSeconds());
  }

  public URI tokenEndpoint() {
    return server.tokenEndpointUrl(ISSUER_ID).uri();
  }

  public URI issuer() {
    return server.issuerUrl(ISSUER_ID).uri();
  }

  /** Returns a user's own token, as the application's sign-in would have given it. */
  public String userToken(String user) {
    return server.issueToken(ISSUER_ID, user, "the-application").serialize();
  }

  /** Returns and forgets every token request the server received since the last call. */
  public List<Map<String, List<String>>> takeTokenRequests() {
    return take(true);
  }

  /** Returns and forgets every request (token or metadata) since the last call, as paths. */
  public List<String> takeAllPaths() {
    List<String> paths = new ArrayList<>();
    for (RecordedRequest request : takeRecorded()) {
      paths.add(request.getPath());
    }
    return paths;
  }

  /** A token request as the server received it. */
  public record TokenRequestRecord(String authorization, Map<String, List<String>> form) {}

  /** Returns the token requests since the last call, with their Authorization header. */
  public List<TokenRequestRecord> takeRecordedTokenRequests() {
    List<TokenRequestRecord> out = new ArrayList<>();
    for (RecordedRequest request : takeRecorded()) {
      if (isTokenRequest(request)) {
        // The body can be read once only.
        out.add(
            new TokenRequestRecord(
                request.getHeader("Authorization"),
                URLUtils.parseParameters(request.getBody().readUtf8())));
      }
    }
    return out;
  }

  private List<Map<String, List<String>>> take(boolean tokenOnly) {
    List<Map<String, List<String>>> out = new ArrayList<>();
    for (RecordedRequest request : takeRecorded()) {
      if (!tokenOnly || isTokenRequest(request)) {
        out.add(URLUtils.parseParameters(request.getBody().readUtf8()));
      }
    }
    return out;
  }

  private static boolean isTokenRequest(RecordedRequest request) {
    return "POST".equals(request.getMethod())
        && request.getPath() != null
        && request.getPath().endsWith("/token");
  }

  private List<RecordedRequest> takeRecorded() {
    // The server records a request before answering it, so once every client has its answer the
    // count is final and each take below returns at once.
    int total = web.getRequestCount();
    List<RecordedRequest> out = new ArrayList<>();
    while (taken.get() < total) {
      try {
        RecordedRequest request = web.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
          throw new AssertionError("request log shorter than the request count");
        }
        out.add(request);
        taken.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return out;
  }

  public void stop() {
    server.shutdown();
  }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (RuntimeException e) {
      // already stopped
    }
  }

  /** Returns the claims of a JWT issued by this server. */
  public static JWTClaimsSet claims(String jwt) {
    try {
      return SignedJWT.parse(jwt).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AssertionError("not a JWT", e);
    }
  }

  /** The IdP's policy: audience from the request, lifetime from the test. */
  private final class Callback implements OAuth2TokenCallback {
    @Override
    public String issuerId() {
      return ISSUER_ID;
    }

    @Override
    public String subject(TokenRequest request) {
      return request.getClientAuthentication() != null
          ? request.getClientAuthentication().getClientID().getValue()
          : "anonymous";
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest request) {
      if (request.getAuthorizationGrant() instanceof TokenExchangeGrant) {
        TokenExchangeGrant grant = (TokenExchangeGrant) request.getAuthorizationGrant();
        if (grant.getAudience() != null && !grant.getAudience().isEmpty()) {
          List<String> out = new ArrayList<>();
          grant.getAudience().forEach(a -> out.add(a.getValue()));
          return out;
        }
      }
      List<String> audience = request.getCustomParameter("audience");
      if (audience != null && !audience.isEmpty()) {
        return audience;
      }
      if (request.getResources() != null && !request.getResources().isEmpty()) {
        List<String> out = new ArrayList<>();
        request.getResources().forEach(r -> out.add(r.toString()));
        return out;
      }
      return List.of("default");
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      return Map.of("tid", ISSUER_ID);
    }

    @Override
    public long tokenExpiry() {
      return lifetimeSeconds.get();
    }
  }
}
