package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_SECRET;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.EnterpriseAuthServers.Answer;
import io.github.mcprunner.headers.oauth.EnterpriseAuthServers.Recorded;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two token requests of cross-app access, exactly as the IdP and the MCP authorization server
 * receive them, against real loopback servers that check what the MCP conformance scenario checks;
 * caching, 401, refresh and every failure.
 */
class CrossAppAccessHeadersProviderTest {
  private static final McpServerRef TICKETS =
      McpServerRef.of("tickets", "http://LOCALHOST:8931/mcp/");
  private static final String TICKETS_RESOURCE = "http://localhost:8931/mcp";
  private static final McpServerRef CRM = McpServerRef.of("crm", "https://crm.example.com/mcp");

  private MutableClock clock;
  private EnterpriseAuthServers servers;

  @BeforeEach
  void start() throws Exception {
    clock = MutableClock.startingNow();
    servers = new EnterpriseAuthServers(clock);
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  /** The conformance scenario's client: public at the IdP, client_secret_basic at the AS. */
  private CrossAppAccessHeadersProvider.Builder conformanceClient() {
    return CrossAppAccessHeadersProvider.builder()
        .idpTokenEndpoint(servers.idpTokenEndpoint())
        .idpPublicClient(IDP_CLIENT_ID)
        .issuer(servers.asIssuer())
        .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
        .clock(clock)
        .executor(Runnable::run)
        .maxAttempts(1);
  }

  private static HeaderContext forUser(McpServerRef server, String idToken) {
    return HeaderContext.builder(server)
        .runId("run-1")
        .mcpMethod("tools/call")
        .put(CrossAppAccessHeadersProvider.ID_TOKEN, idToken)
        .build();
  }

  @Test
  void theIdpExchangeAndTheJwtBearerGrantSendExactlyWhatTheDraftAsks() throws Exception {
    CrossAppAccessHeadersProvider provider = conformanceClient().scope("tickets.read").build();
    String idToken = servers.idToken("alice");

    String token = bearer(provider.headers(forUser(TICKETS, idToken)));

    assertThat(servers.idpRequests()).hasSize(1);
    Recorded exchange = servers.idpRequests().get(0);
    assertThat(exchange.authorization()).as("public client: no credentials").isNull();
    assertThat(exchange.form())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
                "requested_token_type",
                "urn:ietf:params:oauth:token-type:id-jag",
                "audience",
                servers.asIssuer().toString(),
                "resource",
                TICKETS_RESOURCE,
                "subject_token",
                idToken,
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:id_token",
                "client_id",
                IDP_CLIENT_ID,
                "scope",
                "tickets.read"));

    assertThat(servers.asRequests()).hasSize(1);
    Recorded grant = servers.asRequests().get(0);
    assertThat(grant.basic()).containsExactly(CLIENT_ID, CLIENT_SECRET);
    assertThat(grant.form())
        .containsOnlyKeys("grant_type", "assertion", "scope", "resource")
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
        .containsEntry("scope", "tickets.read")
        .containsEntry("resource", TICKETS_RESOURCE);
    SignedJWT idJag = SignedJWT.parse(grant.form().get("assertion"));
    assertThat(idJag.getHeader().getType().getType()).isEqualTo("oauth-id-jag+jwt");
    assertThat(idJag.getJWTClaimsSet().getAudience())
        .containsExactly(servers.asIssuer().toString());
    assertThat(idJag.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    assertThat(idJag.getJWTClaimsSet().getClaim("resource")).isEqualTo(TICKETS_RESOURCE);

    JWTClaimsSet claims = servers.verifiedAccessToken(token);
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly(TICKETS_RESOURCE);
    assertThat(token).isNotEqualTo(idToken).isNotEqualTo(grant.form().get("assertion"));
  }

  @ParameterizedTest
  @EnumSource(ClientAuthCase.class)
  void theJwtBearerGrantAuthenticatesWithEveryClientAuthentication(ClientAuthCase auth)
      throws Exception {
    CrossAppAccessHeadersProvider provider =
        conformanceClient().clientAuthentication(auth.authentication()).build();

    String token = bearer(provider.headers(forUser(TICKETS, servers.idToken("bob"))));

    assertThat(servers.verifiedAccessToken(token).getSubject()).isEqualTo("bob");
    Recorded grant = servers.asRequests().get(0);
    auth.assertUsedBy(grant.asRecord(), servers.asTokenEndpoint());
    assertThat(grant.form()).doesNotContainKey("subject_token");
  }

  @Test
  void theIdpExchangeAuthenticatesWithAClientAuthenticationAndTheEndpointsAreDiscovered()
      throws Exception {
    CrossAppAccessHeadersProvider provider =
        CrossAppAccessHeadersProvider.builder()
            .idpIssuer(servers.idpIssuer())
            .idpClientAuthentication(
                ClientAuthentication.clientSecretBasic(IDP_CLIENT_ID, IDP_CLIENT_SECRET))
            .issuer(servers.asIssuer())
            .clientAuthentication(ClientAuthentication.clientSecretPost(CLIENT_ID, CLIENT_SECRET))
            .clock(clock)
            .build();

    String token = bearer(provider.headers(forUser(CRM, servers.idToken("carol"))));

    assertThat(servers.verifiedAccessToken(token).getAudience())
        .containsExactly("https://crm.example.com/mcp");
    Recorded exchange = servers.idpRequests().get(0);
    assertThat(exchange.basic()).containsExactly(IDP_CLIENT_ID, IDP_CLIENT_SECRET);
    assertThat(exchange.form()).doesNotContainKeys("client_id", "client_secret", "scope");
    Recorded grant = servers.asRequests().get(0);
    assertThat(grant.authorization()).isNull();
    assertThat(grant.form())
        .containsEntry("client_secret", CLIENT_SECRET)
        .doesNotContainKey("scope");
  }

  @Test
  void aTokenIsCachedPerUserAndServerAndTheIdJagIsNotReused() throws Exception {
    CrossAppAccessHeadersProvider provider = conformanceClient().build();
    String alice = servers.idToken("alice");
    String bob = servers.idToken("bob");

    String aliceTickets = bearer(provider.headers(forUser(TICKETS, alice)));
    assertThat(bearer(provider.headers(forUser(TICKETS, alice)))).isEqualTo(aliceTickets);
    String bobTickets = bearer(provider.headers(forUser(TICKETS, bob)));
    String aliceCrm = bearer(provider.headers(forUser(CRM, alice)));
    assertThat(bearer(provider.headers(forUser(CRM, alice)))).isEqualTo(aliceCrm);

    assertThat(List.of(aliceTickets, bobTickets, aliceCrm)).doesNotHaveDuplicates();
    assertThat(servers.verifiedAccessToken(bobTickets).getSubject()).isEqualTo("bob");
    assertThat(servers.verifiedAccessToken(aliceCrm).getAudience())
        .containsExactly("https://crm.example.com/mcp");
    assertThat(servers.idJagsIssued()).isEqualTo(3);
    assertThat(servers.accessTokensIssued()).isEqualTo(3);
    assertThat(servers.asRequests().stream().map(r -> r.form().get("assertion")))
        .as("each grant used a new ID-JAG")
        .doesNotHaveDuplicates();
  }

  @Test
  void unauthorizedDropsTheTokenAndTheRetryRunsBothStepsAgain() {
    CrossAppAccessHeadersProvider provider = conformanceClient().build();
    HeaderContext context = forUser(TICKETS, servers.idToken("alice"));
    String first = bearer(provider.headers(context));

    assertThat(provider.onUnauthorized(context, "Bearer error=\"invalid_token\"")).isTrue();
    String second = bearer(provider.headers(context));

    assertThat(second).isNotEqualTo(first);
    assertThat(servers.idpRequests()).hasSize(2);
    assertThat(servers.asRequests()).hasSize(2);
  }

  @Test
  void aTokenIsRefreshedAheadOfExpiryAndAnExpiredOneIsNeverSent() {
    servers.accessTokenLifetime(120);
    CrossAppAccessHeadersProvider provider = conformanceClient().build();
    HeaderContext context = forUser(TICKETS, servers.idToken("alice"));
    String first = bearer(provider.headers(context));

    clock.advance(Duration.ofSeconds(59));
    assertThat(bearer(provider.headers(context))).isEqualTo(first);
    assertThat(servers.asRequests()).hasSize(1);

    // Past the refresh instant (120 s - 60 s skew): the current token is served while a refresh
    // (here on the calling thread) replaces it.
    clock.advance(Duration.ofSeconds(2));
    assertThat(bearer(provider.headers(context))).isEqualTo(first);
    assertThat(servers.asRequests()).hasSize(2);
    assertThat(servers.idpRequests()).hasSize(2);
    String refreshed = bearer(provider.headers(context));
    assertThat(refreshed).isNotEqualTo(first);

    // The refreshed token expires 120 s after it was issued; past that a new one is fetched.
    clock.advance(Duration.ofSeconds(121));
    String later = bearer(provider.headers(context));
    assertThat(later).isNotEqualTo(refreshed);
    assertThat(servers.verifiedAccessToken(later).getExpirationTime().toInstant())
        .isAfter(clock.instant());
  }

  @Test
  void anIdpFailureNamesTheIdpStepAndTheAuthorizationServerIsNeverAsked() {
    servers.scriptIdp(request -> new Answer(400, "{\"error\":\"invalid_grant\"}"));
    CrossAppAccessHeadersProvider provider = conformanceClient().build();
    String idToken = servers.idToken("alice");

    assertThatThrownBy(() -> provider.headers(forUser(TICKETS, idToken)))
        .isInstanceOfSatisfying(
            OAuthTokenException.class,
            e -> {
              assertThat(e.errorCode()).contains("invalid_grant");
              assertThat(e.httpStatus()).hasValue(400);
            })
        .hasMessage(
            "Header provider 'oauth-cross-app-access' failed for server 'tickets': token exchange"
                + " for an ID-JAG at the enterprise IdP failed: token endpoint answered HTTP 400"
                + " with OAuth error 'invalid_grant'; the request was not sent")
        .hasMessageNotContaining(idToken);
    assertThat(servers.asRequests()).isEmpty();
  }

  @Test
  void anAuthorizationServerFailureNamesTheGrantStep() {
    CrossAppAccessHeadersProvider provider =
        conformanceClient()
            .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, "wrong"))
            .build();

    assertThatThrownBy(() -> provider.headers(forUser(TICKETS, servers.idToken("alice"))))
        .isInstanceOfSatisfying(
            OAuthTokenException.class,
            e -> {
              assertThat(e.errorCode()).contains("invalid_client");
              assertThat(e.httpStatus()).hasValue(401);
            })
        .hasMessage(
            "Header provider 'oauth-cross-app-access' failed for server 'tickets': JWT bearer"
                + " grant at the MCP authorization server failed: token endpoint answered HTTP 401"
                + " with OAuth error 'invalid_client'; the request was not sent");
    assertThat(servers.idpRequests()).hasSize(1);
  }

  @Test
  void anIdpAnswerThatIsNotAnIdJagIsRefused() {
    CrossAppAccessHeadersProvider provider = conformanceClient().build();
    String idToken = servers.idToken("alice");

    servers.scriptIdp(
        request ->
            new Answer(
                200,
                "{\"access_token\":\"an-access-token\",\"token_type\":\"Bearer\","
                    + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}"));
    assertThatThrownBy(() -> provider.headers(forUser(TICKETS, idToken)))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageContaining("token exchange for an ID-JAG at the enterprise IdP failed")
        .hasMessageContaining("issued_token_type 'urn:ietf:params:oauth:token-type:access_token'")
        .hasMessageNotContaining("an-access-token");

    servers.scriptIdp(
        request ->
            new Answer(
                200,
                "{\"access_token\":\"a.b.c\",\"token_type\":\"Bearer\","
                    + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:id-jag\"}"));
    assertThatThrownBy(() -> provider.headers(forUser(TICKETS, idToken)))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageContaining("of token_type 'Bearer'");

    servers.scriptIdp(
        request ->
            new Answer(
                200,
                "{\"access_token\":\"not-a-jwt\",\"token_type\":\"N_A\","
                    + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:id-jag\"}"));
    assertThatThrownBy(() -> provider.headers(forUser(TICKETS, idToken)))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageContaining("the IdP issued an ID-JAG that is not a JWT")
        .hasMessageNotContaining("not-a-jwt\"");
    assertThat(servers.asRequests()).isEmpty();
  }

  @Test
  void aRunWithoutAnIdTokenFailsClosedUnlessTheTokenIsOptional() {
    HeaderContext withoutUser =
        HeaderContext.builder(TICKETS).runId("run-2").mcpMethod("tools/list").build();

    assertThatThrownBy(() -> conformanceClient().build().headers(withoutUser))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("run has no ID token (CrossAppAccessHeadersProvider.ID_TOKEN)");
    assertThat(conformanceClient().requireIdToken(false).build().headers(withoutUser))
        .isEqualTo(McpHeaders.empty());
    assertThat(servers.idpRequests()).isEmpty();
  }

  @Test
  void theIdTokenCanComeFromAnotherContextKey() {
    CrossAppAccessHeadersProvider provider =
        conformanceClient().idTokenKey(ContextKey.SUBJECT_TOKEN).build();

    String token = bearer(provider.headers(Contexts.forUser(TICKETS, servers.idToken("dave"))));

    assertThat(servers.verifiedAccessToken(token).getSubject()).isEqualTo("dave");
  }

  @Test
  void aLocatorDecidesTheAuthorizationServerAndResourcePerServerAndRunsAgainAfter401() {
    AtomicInteger located = new AtomicInteger();
    List<String> locatedServers = new ArrayList<>();
    URI otherResource = URI.create("https://tickets.example.com/api");
    CrossAppAccessHeadersProvider provider =
        CrossAppAccessHeadersProvider.builder()
            .idpTokenEndpoint(servers.idpTokenEndpoint())
            .idpPublicClient(IDP_CLIENT_ID)
            .authorizationTargets(
                server -> {
                  located.incrementAndGet();
                  synchronized (locatedServers) {
                    locatedServers.add(server.name());
                  }
                  return AuthorizationTarget.of(
                      servers.asIssuer(), servers.asTokenEndpoint(), otherResource);
                })
            .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
            .target("crm", TokenTarget.builder().scope("crm.read").build())
            .clock(clock)
            .build();
    HeaderContext tickets = forUser(TICKETS, servers.idToken("erin"));

    String token = bearer(provider.headers(tickets));
    bearer(provider.headers(tickets));
    bearer(provider.headers(forUser(CRM, servers.idToken("erin"))));

    assertThat(servers.verifiedAccessToken(token).getAudience())
        .containsExactly(otherResource.toString());
    assertThat(servers.idpRequests().get(0).form())
        .containsEntry("resource", otherResource.toString())
        .containsEntry("audience", servers.asIssuer().toString());
    assertThat(servers.idpRequests().get(1).form()).containsEntry("scope", "crm.read");
    assertThat(locatedServers).containsExactly("tickets", "crm");

    provider.onUnauthorized(tickets, "Bearer error=\"invalid_token\"");
    bearer(provider.headers(tickets));
    assertThat(located).hasValue(3);
  }

  @Test
  void theDescriptionNamesEndpointsAndClientsButNoSecret() {
    String description = conformanceClient().build().toString();

    assertThat(description)
        .contains(servers.idpTokenEndpoint().toString())
        .contains("none(clientId=" + IDP_CLIENT_ID + ")")
        .contains(servers.asIssuer() + " (token endpoint discovered)")
        .contains("client_secret_basic(clientId=" + CLIENT_ID + ")")
        .doesNotContain(CLIENT_SECRET);
  }

  @Test
  void aLocatorFailureFailsTheRequestWithoutAnyTokenRequest() {
    CrossAppAccessHeadersProvider failing =
        CrossAppAccessHeadersProvider.builder()
            .idpTokenEndpoint(servers.idpTokenEndpoint())
            .idpPublicClient(IDP_CLIENT_ID)
            .authorizationTargets(
                server -> {
                  throw new IllegalStateException("metadata unreachable");
                })
            .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
            .build();

    assertThatThrownBy(() -> failing.headers(forUser(TICKETS, servers.idToken("alice"))))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining(
            "could not locate the server's authorization server (IllegalStateException)");
    assertThat(servers.idpRequests()).isEmpty();
  }

  @Test
  void theBuilderRefusesIncompleteOrContradictorySettings() {
    ClientAuthentication client = ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET);
    URI idp = URI.create("https://idp.example.com/token");
    URI as = URI.create("https://as.example.com");

    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .idpPublicClient("app")
                    .issuer(as)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clientAuthentication");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpPublicClient("app")
                    .issuer(as)
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("idpTokenEndpoint and idpIssuer");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .issuer(as)
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("idpClientAuthentication and idpPublicClient");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .idpPublicClient("app")
                    .tokenEndpoint(URI.create("https://as.example.com/token"))
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .idpPublicClient("app")
                    .issuer(as)
                    .authorizationTargets(server -> AuthorizationTarget.of(as, server.uri()))
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .idpPublicClient("app")
                    .issuer(as)
                    .clientAuthentication(client)
                    .target("crm", TokenTarget.builder().audience("api://crm").build())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sets an audience");
    assertThatThrownBy(() -> CrossAppAccessHeadersProvider.builder().sendAudience(true))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(idp)
                    .idpPublicClient("app")
                    .issuer(URI.create("http://as.example.com"))
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                CrossAppAccessHeadersProvider.builder()
                    .idpTokenEndpoint(URI.create("http://idp.example.com/token"))
                    .idpPublicClient("app")
                    .issuer(as)
                    .clientAuthentication(client)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
  }
}
