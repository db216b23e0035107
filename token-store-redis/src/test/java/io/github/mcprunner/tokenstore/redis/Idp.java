package io.github.mcprunner.tokenstore.redis;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The real mock-oauth2-server on loopback doing token exchange: the exchanged token's subject is
 * the subject token's, its audience the requested one. Token requests are read back from the
 * server's own request log.
 */
final class Idp implements AutoCloseable {
  private static final String ISSUER_ID = "idp";

  private final MockOAuth2Server server;
  private final MockWebServer web;
  private int taken;

  Idp(Clock clock) {
    MockWebServerWrapper http = new MockWebServerWrapper();
    OAuth2TokenProvider tokens = new OAuth2TokenProvider(new KeyProvider(), clock::instant);
    OAuth2Config config =
        new OAuth2Config(false, null, null, false, tokens, Set.of(new Callback()), http);
    this.server = new MockOAuth2Server(config);
    this.web = http.getMockWebServer();
    server.start();
  }

  URI tokenEndpoint() {
    return server.tokenEndpointUrl(ISSUER_ID).uri();
  }

  /** Returns a user's own token, as the application's sign-in would have given it. */
  String userToken(String user) {
    return server.issueToken(ISSUER_ID, user, "the-application").serialize();
  }

  /** A token request: the user of its subject token and the audience asked for. */
  record Exchange(String user, String audience) {}

  /** Returns and forgets the token requests received since the last call. */
  synchronized List<Exchange> takeExchanges() {
    int total = web.getRequestCount();
    List<Exchange> out = new ArrayList<>();
    while (taken < total) {
      RecordedRequest request;
      try {
        request = web.takeRequest(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (request == null) {
        throw new AssertionError("request log shorter than the request count");
      }
      taken++;
      if ("POST".equals(request.getMethod()) && request.getPath().endsWith("/token")) {
        Map<String, List<String>> form = URLUtils.parseParameters(request.getBody().readUtf8());
        out.add(
            new Exchange(
                claims(form.get("subject_token").get(0)).getSubject(),
                form.get("audience").get(0)));
      }
    }
    return out;
  }

  static JWTClaimsSet claims(String jwt) {
    try {
      return SignedJWT.parse(jwt).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AssertionError("not a JWT");
    }
  }

  @Override
  public void close() {
    server.shutdown();
  }

  private static final class Callback implements OAuth2TokenCallback {
    @Override
    public String issuerId() {
      return ISSUER_ID;
    }

    @Override
    public String subject(TokenRequest request) {
      TokenExchangeGrant grant = (TokenExchangeGrant) request.getAuthorizationGrant();
      return claims(grant.getSubjectToken().getValue()).getSubject();
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest request) {
      TokenExchangeGrant grant = (TokenExchangeGrant) request.getAuthorizationGrant();
      List<String> out = new ArrayList<>();
      grant.getAudience().forEach(a -> out.add(a.getValue()));
      return out;
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      return Map.of();
    }

    @Override
    public long tokenExpiry() {
      return 3600;
    }
  }
}
