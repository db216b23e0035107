package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.CRM_CANONICAL;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS_CANONICAL;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static io.github.mcprunner.headers.oauth.Contexts.withoutUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenExchangeHeadersProviderTest {
  private static final MutableClock clock = MutableClock.startingNow();
  private static TestIdp idp;

  @BeforeAll
  static void startIdp() {
    idp = new TestIdp(clock);
  }

  @AfterAll
  static void stopIdp() {
    idp.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    idp.takeAllPaths();
  }

  private static TokenExchangeHeadersProvider.Builder provider(ClientAuthCase auth) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(idp.tokenEndpoint())
        .clientAuthentication(auth.authentication())
        .clock(clock);
  }

  @ParameterizedTest
  @EnumSource(ClientAuthCase.class)
  void exchangesTheUsersTokenForOneWhoseAudienceIsTheServer(ClientAuthCase auth) throws Exception {
    TokenExchangeHeadersProvider provider = provider(auth).build();
    String userToken = idp.userToken("alice");

    McpHeaders headers = provider.headers(forUser(CRM, userToken));

    String token = bearer(headers);
    assertThat(token).isNotEqualTo(userToken);
    JWTClaimsSet claims = TestIdp.claims(token);
    assertThat(claims.getAudience()).containsExactly(CRM_CANONICAL);
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());

    List<TestIdp.TokenRequestRecord> requests = idp.takeRecordedTokenRequests();
    assertThat(requests).hasSize(1);
    auth.assertUsedBy(requests.get(0), idp.tokenEndpoint());
    Map<String, List<String>> form = requests.get(0).form();
    assertThat(form.get("grant_type"))
        .containsExactly("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(form.get("subject_token")).containsExactly(userToken);
    assertThat(form.get("subject_token_type"))
        .containsExactly("urn:ietf:params:oauth:token-type:access_token");
    assertThat(form.get("audience")).containsExactly(CRM_CANONICAL);
    assertThat(form.get("resource")).containsExactly(CRM_CANONICAL);
    assertThat(form).doesNotContainKeys("scope", "requested_token_type");
  }

  @Test
  void eachServerGetsItsOwnTokenAndEachUserTheirs() {
    TokenExchangeHeadersProvider provider = provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();
    String alice = idp.userToken("alice");
    String bob = idp.userToken("bob");

    String aliceCrm = bearer(provider.headers(forUser(CRM, alice)));
    String aliceTickets = bearer(provider.headers(forUser(TICKETS, alice)));
    String bobCrm = bearer(provider.headers(forUser(CRM, bob)));

    assertThat(TestIdp.claims(aliceCrm).getAudience()).containsExactly(CRM_CANONICAL);
    assertThat(TestIdp.claims(aliceTickets).getAudience()).containsExactly(TICKETS_CANONICAL);
    assertThat(TestIdp.claims(bobCrm).getSubject()).isEqualTo("bob");
    assertThat(List.of(aliceCrm, aliceTickets, bobCrm)).doesNotHaveDuplicates();
    // cached: the same again without a token request
    assertThat(bearer(provider.headers(forUser(CRM, alice)))).isEqualTo(aliceCrm);
    assertThat(idp.takeTokenRequests()).hasSize(3);
  }

  @Test
  void sendsTheConfiguredTokenTypesScopeAndPerServerTarget() {
    TokenExchangeHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_POST)
            .subjectTokenType(TokenType.ID_TOKEN)
            .requestedTokenType(TokenType.ACCESS_TOKEN)
            .scope("mcp.tools")
            .target(
                "tickets",
                TokenTarget.builder()
                    .audience("api://tickets")
                    .resource(URI.create("https://tickets.example.com/api"))
                    .scope("tickets.read")
                    .build())
            .build();
    String userToken = idp.userToken("carol");

    String crmToken = bearer(provider.headers(forUser(CRM, userToken)));
    String ticketsToken = bearer(provider.headers(forUser(TICKETS, userToken)));

    List<Map<String, List<String>>> requests = idp.takeTokenRequests();
    assertThat(requests).hasSize(2);
    Map<String, List<String>> crm = requests.get(0);
    assertThat(crm.get("subject_token_type"))
        .containsExactly("urn:ietf:params:oauth:token-type:id_token");
    assertThat(crm.get("requested_token_type"))
        .containsExactly("urn:ietf:params:oauth:token-type:access_token");
    assertThat(crm.get("scope")).containsExactly("mcp.tools");
    Map<String, List<String>> tickets = requests.get(1);
    assertThat(tickets.get("audience")).containsExactly("api://tickets");
    assertThat(tickets.get("resource")).containsExactly("https://tickets.example.com/api");
    assertThat(tickets.get("scope")).containsExactly("tickets.read");
    assertThat(TestIdp.claims(crmToken).getAudience()).containsExactly(CRM_CANONICAL);
    assertThat(TestIdp.claims(ticketsToken).getAudience()).containsExactly("api://tickets");
  }

  @Test
  void aRunWithoutSubjectTokenFailsClosedWithoutAnyTokenRequest() {
    TokenExchangeHeadersProvider provider = provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();

    assertThatThrownBy(() -> provider.headers(withoutUser(CRM)))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'oauth-token-exchange' failed for server 'crm': run has no subject"
                + " token (ContextKey.SUBJECT_TOKEN); the request was not sent");
    assertThat(idp.takeTokenRequests()).isEmpty();
  }

  @Test
  void withoutRequiredSubjectTokenARunGetsNothingFromTheProvider() {
    TokenExchangeHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).requireSubjectToken(false).build();

    assertThat(provider.headers(withoutUser(CRM))).isEqualTo(McpHeaders.empty());
    assertThat(provider.onUnauthorized(withoutUser(CRM), null)).isFalse();
    assertThat(idp.takeTokenRequests()).isEmpty();
  }

  @Test
  void readsTheSubjectTokenFromACustomContextKey() {
    ContextKey<String> sso = ContextKey.of("sso_token", String.class);
    TokenExchangeHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).subjectTokenKey(sso).build();
    HeaderContext context = HeaderContext.builder(CRM).put(sso, idp.userToken("dave")).build();

    assertThat(TestIdp.claims(bearer(provider.headers(context))).getSubject()).isEqualTo("dave");
    assertThatThrownBy(() -> provider.headers(withoutUser(CRM)))
        .hasMessageContaining("run has no subject token (context key 'sso_token')");
  }

  @Test
  void appliesOnlyToTheConfiguredServersByNameOrUri() {
    TokenExchangeHeadersProvider byName =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).servers("crm").build();
    TokenExchangeHeadersProvider byUri =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC)
            .servers("HTTPS://tickets.example.com:8443/mcp/")
            .build();
    TokenExchangeHeadersProvider all = provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();

    assertThat(byName.appliesTo(CRM)).isTrue();
    assertThat(byName.appliesTo(TICKETS)).isFalse();
    assertThat(byUri.appliesTo(TICKETS)).isTrue();
    assertThat(byUri.appliesTo(CRM)).isFalse();
    assertThat(all.appliesTo(McpServerRef.of("any", "https://any.example.com/mcp"))).isTrue();
  }

  @Test
  void discoversTheTokenEndpointOnceFromTheIssuersMetadata() {
    TokenExchangeHeadersProvider provider =
        TokenExchangeHeadersProvider.builder()
            .issuer(idp.issuer())
            .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .clock(clock)
            .build();

    String first = bearer(provider.headers(forUser(CRM, idp.userToken("erin"))));
    String second = bearer(provider.headers(forUser(CRM, idp.userToken("frank"))));

    assertThat(TestIdp.claims(first).getSubject()).isEqualTo("erin");
    assertThat(TestIdp.claims(second).getSubject()).isEqualTo("frank");
    List<String> paths = idp.takeAllPaths();
    assertThat(paths.stream().filter(p -> p.endsWith("/token"))).hasSize(2);
    // RFC 8414 and OIDC with the path inserted are tried first; this server answers the third.
    assertThat(paths.stream().filter(p -> p.contains("/.well-known/")))
        .containsExactly(
            "/.well-known/oauth-authorization-server/idp",
            "/.well-known/openid-configuration/idp",
            "/idp/.well-known/openid-configuration");
  }

  @Test
  void unauthorizedDropsTheCachedTokenSoTheNextResolutionGetsAFreshOne() {
    TokenExchangeHeadersProvider provider = provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();
    HeaderContext context = forUser(CRM, idp.userToken("grace"));
    String first = bearer(provider.headers(context));
    assertThat(bearer(provider.headers(context))).isEqualTo(first);
    assertThat(idp.takeTokenRequests()).hasSize(1);

    boolean retry = provider.onUnauthorized(context, "Bearer error=\"invalid_token\"");

    assertThat(retry).isTrue();
    String second = bearer(provider.headers(context));
    assertThat(second).isNotEqualTo(first);
    assertThat(idp.takeTokenRequests()).hasSize(1);
    assertThat(bearer(provider.headers(context))).isEqualTo(second);
    assertThat(idp.takeTokenRequests()).isEmpty();
  }

  @Test
  void unauthorizedFromAServerTheProviderDoesNotServeIsNotItsBusiness() {
    TokenExchangeHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).servers("crm").build();

    assertThat(provider.onUnauthorized(forUser(TICKETS, idp.userToken("heidi")), null)).isFalse();
  }

  @Test
  void describesItselfWithoutSecrets() {
    TokenExchangeHeadersProvider provider = provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();

    assertThat(provider.name()).isEqualTo(TokenExchangeHeadersProvider.DEFAULT_NAME);
    assertThat(provider.order()).isEqualTo(TokenExchangeHeadersProvider.DEFAULT_ORDER);
    assertThat(provider.optional()).isFalse();
    assertThat(provider.toString())
        .contains("oauth-token-exchange", "client_secret_basic(clientId=mcp-runner)")
        .doesNotContain(ClientAuthCase.SECRET);
  }
}
