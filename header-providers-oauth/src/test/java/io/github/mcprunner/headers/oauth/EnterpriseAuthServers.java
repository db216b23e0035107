package io.github.mcprunner.headers.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;

/**
 * A real enterprise IdP and a real MCP authorization server on loopback (the JDK's HTTP server),
 * checking what the MCP conformance scenario {@code auth/cross-app-access-complete-flow} checks and
 * recording every token request (form parameters and {@code Authorization} header).
 *
 * <ul>
 *   <li>IdP: signs users' ID tokens ({@code aud} its client id); its token endpoint accepts only
 *       the RFC 8693 exchange of such an ID token for an ID-JAG with every parameter the draft
 *       requires, and answers the ID-JAG ({@code typ oauth-id-jag+jwt}, {@code aud} the requested
 *       audience, {@code resource} and {@code client_id} claims) with {@code issued_token_type}
 *       ID-JAG and {@code token_type N_A}.
 *   <li>Authorization server: serves RFC 8414 metadata; its token endpoint accepts only the JWT
 *       bearer grant from an authenticated client whose id is the ID-JAG's {@code client_id}, with
 *       an ID-JAG signed by the IdP, of the right {@code typ}, for its own issuer, not expired. It
 *       issues a signed access token for the ID-JAG's subject and resource.
 * </ul>
 *
 * Each answer can be replaced by a scripted failure.
 */
final class EnterpriseAuthServers implements AutoCloseable {
  static final String IDP_CLIENT_ID = "agent-app-at-idp";
  static final String IDP_CLIENT_SECRET = "idp-client-secret-value-42";

  /** The runner's client at the MCP authorization server: the one of {@link ClientAuthCase}. */
  static final String CLIENT_ID = ClientAuthCase.CLIENT_ID;

  static final String CLIENT_SECRET = ClientAuthCase.SECRET;
  static final String ID_JAG_TYPE = "urn:ietf:params:oauth:token-type:id-jag";

  /** A token request as received. */
  record Recorded(
      @Nullable String authorization, Map<String, String> form, Map<String, List<String>> params) {
    /** Returns the request as {@link ClientAuthCase#assertUsedBy} reads it. */
    TestIdp.TokenRequestRecord asRecord() {
      return new TestIdp.TokenRequestRecord(authorization, params);
    }

    /** Returns the client id and secret of a Basic header, URL-decoded. */
    String[] basic() {
      if (authorization == null || !authorization.startsWith("Basic ")) {
        return new String[0];
      }
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring("Basic ".length())),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return new String[] {
        URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
      };
    }
  }

  /** A scripted answer: status and JSON body. */
  record Answer(int status, String body) {}

  private final Clock clock;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ECKey idTokenKey;
  private final ECKey idJagKey;
  private final ECKey accessTokenKey;
  private final HttpServer idp;
  private final HttpServer as;
  private final List<Recorded> idpRequests = new CopyOnWriteArrayList<>();
  private final List<Recorded> asRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger idJagsIssued = new AtomicInteger();
  private final AtomicInteger accessTokensIssued = new AtomicInteger();
  private volatile long accessTokenLifetimeSeconds = 3600;
  private volatile @Nullable Function<Recorded, @Nullable Answer> idpScript;
  private volatile @Nullable Function<Recorded, @Nullable Answer> asScript;

  /** Starts both servers; tokens are dated, and expire, by {@code clock}. */
  EnterpriseAuthServers(Clock clock) throws Exception {
    this.clock = clock;
    idTokenKey = new ECKeyGenerator(Curve.P_256).keyID("id-token-key").generate();
    idJagKey = new ECKeyGenerator(Curve.P_256).keyID("id-jag-key").generate();
    accessTokenKey = new ECKeyGenerator(Curve.P_256).keyID("access-token-key").generate();
    idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    as = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    idp.createContext(
        "/.well-known/openid-configuration",
        exchange ->
            respond(
                exchange,
                200,
                metadata(idpIssuer(), "urn:ietf:params:oauth:grant-type:token-exchange")));
    idp.createContext("/token", exchange -> token(exchange, idpRequests, idpScript, this::idJag));
    as.createContext(
        "/.well-known/oauth-authorization-server",
        exchange ->
            respond(
                exchange,
                200,
                metadata(asIssuer(), "urn:ietf:params:oauth:grant-type:jwt-bearer")));
    as.createContext(
        "/token", exchange -> token(exchange, asRequests, asScript, this::accessToken));
    idp.setExecutor(threads);
    as.setExecutor(threads);
    idp.start();
    as.start();
  }

  URI idpIssuer() {
    return URI.create("http://127.0.0.1:" + idp.getAddress().getPort());
  }

  URI idpTokenEndpoint() {
    return URI.create(idpIssuer() + "/token");
  }

  URI asIssuer() {
    return URI.create("http://127.0.0.1:" + as.getAddress().getPort());
  }

  URI asTokenEndpoint() {
    return URI.create(asIssuer() + "/token");
  }

  /** Returns a user's ID token, as the application's sign-in at the IdP gave it. */
  String idToken(String user) {
    return sign(
        idTokenKey,
        null,
        new JWTClaimsSet.Builder()
            .issuer(idpIssuer().toString())
            .subject(user)
            .audience(IDP_CLIENT_ID)
            .claim("email", user + "@example.com")
            .issueTime(Date.from(clock.instant()))
            .expirationTime(Date.from(clock.instant().plusSeconds(3600)))
            .build());
  }

  List<Recorded> idpRequests() {
    return idpRequests;
  }

  List<Recorded> asRequests() {
    return asRequests;
  }

  int idJagsIssued() {
    return idJagsIssued.get();
  }

  int accessTokensIssued() {
    return accessTokensIssued.get();
  }

  void accessTokenLifetime(long seconds) {
    accessTokenLifetimeSeconds = seconds;
  }

  /** Replaces the IdP's answer where {@code script} returns one. */
  void scriptIdp(@Nullable Function<Recorded, @Nullable Answer> script) {
    idpScript = script;
  }

  /** Replaces the authorization server's answer where {@code script} returns one. */
  void scriptAs(@Nullable Function<Recorded, @Nullable Answer> script) {
    asScript = script;
  }

  /** Returns the claims of an access token, after checking it was signed by the server. */
  JWTClaimsSet verifiedAccessToken(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!jwt.verify(new ECDSAVerifier(accessTokenKey.toECPublicKey()))) {
        throw new AssertionError("access token signature");
      }
      return jwt.getJWTClaimsSet();
    } catch (Exception e) {
      throw new AssertionError("not an access token of this server", e);
    }
  }

  /** Returns whether {@code token} is an unexpired access token for {@code resource}. */
  boolean acceptsAccessToken(String token, String resource) {
    try {
      JWTClaimsSet claims = verifiedAccessToken(token);
      return claims.getAudience().equals(List.of(resource))
          && claims.getExpirationTime().toInstant().isAfter(clock.instant());
    } catch (AssertionError e) {
      return false;
    }
  }

  // --- the IdP's token exchange -------------------------------------------------------------

  private Answer idJag(Recorded request) {
    Map<String, String> form = request.form();
    if (!"urn:ietf:params:oauth:grant-type:token-exchange".equals(form.get("grant_type"))) {
      return error(400, "unsupported_grant_type");
    }
    // client_secret_basic, client_secret_post, or a public client naming itself.
    boolean authenticated =
        request.basic().length == 2
            ? request.basic()[0].equals(IDP_CLIENT_ID)
                && request.basic()[1].equals(IDP_CLIENT_SECRET)
            : IDP_CLIENT_ID.equals(form.get("client_id"))
                && (!form.containsKey("client_secret")
                    || IDP_CLIENT_SECRET.equals(form.get("client_secret")));
    if (!authenticated) {
      return error(401, "invalid_client");
    }
    if (form.get("subject_token") == null
        || !"urn:ietf:params:oauth:token-type:id_token".equals(form.get("subject_token_type"))
        || !ID_JAG_TYPE.equals(form.get("requested_token_type"))
        || form.get("audience") == null
        || form.get("resource") == null) {
      return error(400, "invalid_request");
    }
    JWTClaimsSet idToken;
    try {
      SignedJWT jwt = SignedJWT.parse(form.get("subject_token"));
      idToken = jwt.getJWTClaimsSet();
      if (!jwt.verify(new ECDSAVerifier(idTokenKey.toECPublicKey()))
          || !idToken.getAudience().equals(List.of(IDP_CLIENT_ID))
          || !idpIssuer().toString().equals(idToken.getIssuer())
          || idToken.getExpirationTime().toInstant().isBefore(clock.instant())) {
        return error(400, "invalid_grant");
      }
    } catch (Exception e) {
      return error(400, "invalid_grant");
    }
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(idpIssuer().toString())
            .subject(idToken.getSubject())
            .audience(form.get("audience"))
            .claim("resource", form.get("resource"))
            .claim("client_id", CLIENT_ID)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(clock.instant()))
            .expirationTime(Date.from(clock.instant().plusSeconds(300)));
    if (form.get("scope") != null) {
      claims.claim("scope", form.get("scope"));
    }
    String idJag = sign(idJagKey, new JOSEObjectType("oauth-id-jag+jwt"), claims.build());
    idJagsIssued.incrementAndGet();
    JSONObject body = new JSONObject();
    body.put("access_token", idJag);
    body.put("issued_token_type", ID_JAG_TYPE);
    body.put("token_type", "N_A");
    body.put("expires_in", 300);
    return new Answer(200, body.toJSONString());
  }

  // --- the authorization server's JWT bearer grant ------------------------------------------

  private Answer accessToken(Recorded request) {
    Map<String, String> form = request.form();
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      return error(400, "unsupported_grant_type");
    }
    String clientId = authenticatedClient(request);
    if (clientId == null) {
      return error(401, "invalid_client");
    }
    if (form.get("assertion") == null) {
      return error(400, "invalid_request");
    }
    JWTClaimsSet grant;
    try {
      SignedJWT jwt = SignedJWT.parse(form.get("assertion"));
      grant = jwt.getJWTClaimsSet();
      String resource = (String) grant.getClaim("resource");
      if (!new JOSEObjectType("oauth-id-jag+jwt").equals(jwt.getHeader().getType())
          || !jwt.verify(new ECDSAVerifier(idJagKey.toECPublicKey()))
          || !grant.getAudience().contains(asIssuer().toString())
          || !clientId.equals(grant.getClaim("client_id"))
          || resource == null
          || (form.get("resource") != null && !form.get("resource").equals(resource))
          || grant.getExpirationTime().toInstant().isBefore(clock.instant())) {
        return error(400, "invalid_grant");
      }
    } catch (Exception e) {
      return error(400, "invalid_grant");
    }
    long lifetime = accessTokenLifetimeSeconds;
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(asIssuer().toString())
            .subject(grant.getSubject())
            .audience((String) grant.getClaim("resource"))
            .claim("client_id", clientId)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(clock.instant()))
            .expirationTime(Date.from(clock.instant().plusSeconds(lifetime)));
    String scope = form.get("scope") != null ? form.get("scope") : (String) grant.getClaim("scope");
    if (scope != null) {
      claims.claim("scope", scope);
    }
    String token = sign(accessTokenKey, JOSEObjectType.JWT, claims.build());
    accessTokensIssued.incrementAndGet();
    JSONObject body = new JSONObject();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", lifetime);
    if (scope != null) {
      body.put("scope", scope);
    }
    return new Answer(200, body.toJSONString());
  }

  /**
   * Returns the id of the client the request authenticated as: Basic with the right secret, the
   * secret in the body, or a client assertion (its signature is checked by the tests that use one).
   */
  private static @Nullable String authenticatedClient(Recorded request) {
    String[] basic = request.basic();
    if (basic.length == 2) {
      return basic[0].equals(CLIENT_ID) && basic[1].equals(CLIENT_SECRET) ? basic[0] : null;
    }
    Map<String, String> form = request.form();
    if (form.get("client_secret") != null) {
      return CLIENT_ID.equals(form.get("client_id"))
              && CLIENT_SECRET.equals(form.get("client_secret"))
          ? CLIENT_ID
          : null;
    }
    if (form.get("client_assertion") != null) {
      try {
        return SignedJWT.parse(form.get("client_assertion")).getJWTClaimsSet().getIssuer();
      } catch (java.text.ParseException e) {
        return null;
      }
    }
    return null;
  }

  // --- plumbing ------------------------------------------------------------------------------

  private static Answer error(int status, String code) {
    return new Answer(status, "{\"error\":\"" + code + "\"}");
  }

  private static String metadata(URI issuer, String grantType) {
    JSONObject body = new JSONObject();
    body.put("issuer", issuer.toString());
    body.put("token_endpoint", issuer + "/token");
    body.put("grant_types_supported", List.of(grantType));
    body.put("response_types_supported", List.of("code"));
    return body.toJSONString();
  }

  private static void token(
      HttpExchange exchange,
      List<Recorded> log,
      @Nullable Function<Recorded, @Nullable Answer> script,
      Function<Recorded, Answer> real)
      throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "{}");
      return;
    }
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> params = URLUtils.parseParameters(body);
    Map<String, String> form = new LinkedHashMap<>();
    params.forEach((name, values) -> form.put(name, values.get(0)));
    Recorded request =
        new Recorded(
            exchange.getRequestHeaders().getFirst("Authorization"), Map.copyOf(form), params);
    log.add(request);
    Answer answer = script == null ? null : script.apply(request);
    if (answer == null) {
      answer = real.apply(request);
    }
    respond(exchange, answer.status(), answer.body());
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String sign(ECKey key, @Nullable JOSEObjectType type, JWTClaimsSet claims) {
    try {
      JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID());
      if (type != null) {
        header.type(type);
      }
      SignedJWT jwt = new SignedJWT(header.build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    idp.stop(0);
    as.stop(0);
    threads.shutdownNow();
  }
}
