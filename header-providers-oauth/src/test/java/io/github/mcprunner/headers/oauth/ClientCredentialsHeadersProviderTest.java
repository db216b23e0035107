package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.CRM_CANONICAL;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS_CANONICAL;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static io.github.mcprunner.headers.oauth.Contexts.withoutUser;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mcprunner.headers.HeaderContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientCredentialsHeadersProviderTest {
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

  private static ClientCredentialsHeadersProvider.Builder provider(ClientAuthCase auth) {
    return ClientCredentialsHeadersProvider.builder()
        .tokenEndpoint(idp.tokenEndpoint())
        .clientAuthentication(auth.authentication())
        .clock(clock);
  }

  @ParameterizedTest
  @EnumSource(ClientAuthCase.class)
  void obtainsAServiceTokenForTheServerAsResource(ClientAuthCase auth) throws Exception {
    ClientCredentialsHeadersProvider provider = provider(auth).scope("mcp.tools").build();

    String token = bearer(provider.headers(withoutUser(CRM)));

    JWTClaimsSet claims = TestIdp.claims(token);
    assertThat(claims.getAudience()).containsExactly(CRM_CANONICAL);
    assertThat(claims.getSubject()).isEqualTo(ClientAuthCase.CLIENT_ID);
    List<TestIdp.TokenRequestRecord> requests = idp.takeRecordedTokenRequests();
    assertThat(requests).hasSize(1);
    auth.assertUsedBy(requests.get(0), idp.tokenEndpoint());
    Map<String, List<String>> form = requests.get(0).form();
    assertThat(form.get("grant_type")).containsExactly("client_credentials");
    assertThat(form.get("resource")).containsExactly(CRM_CANONICAL);
    assertThat(form.get("scope")).containsExactly("mcp.tools");
    assertThat(form).doesNotContainKeys("audience", "subject_token");
  }

  @Test
  void oneTokenPerServerIsSharedByAllRunsWhoeverTheyActFor() {
    ClientCredentialsHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();

    String crm = bearer(provider.headers(withoutUser(CRM)));
    String crmAgain = bearer(provider.headers(forUser(CRM, "ignored-user-token")));
    String tickets = bearer(provider.headers(withoutUser(TICKETS)));

    assertThat(crmAgain).isEqualTo(crm);
    assertThat(tickets).isNotEqualTo(crm);
    assertThat(TestIdp.claims(tickets).getAudience()).containsExactly(TICKETS_CANONICAL);
    assertThat(idp.takeTokenRequests()).hasSize(2);
  }

  @Test
  void sendsAudienceWhenAskedPerServerOrForAll() {
    ClientCredentialsHeadersProvider perServer =
        provider(ClientAuthCase.CLIENT_SECRET_POST)
            .target("crm", TokenTarget.builder().audience("api://crm").scope("crm.read").build())
            .build();
    ClientCredentialsHeadersProvider forAll =
        provider(ClientAuthCase.CLIENT_SECRET_POST).sendAudience(true).sendResource(false).build();

    String crm = bearer(perServer.headers(withoutUser(CRM)));
    String tickets = bearer(forAll.headers(withoutUser(TICKETS)));

    List<Map<String, List<String>>> requests = idp.takeTokenRequests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).get("audience")).containsExactly("api://crm");
    assertThat(requests.get(0).get("resource")).containsExactly(CRM_CANONICAL);
    assertThat(requests.get(0).get("scope")).containsExactly("crm.read");
    assertThat(requests.get(1).get("audience")).containsExactly(TICKETS_CANONICAL);
    assertThat(requests.get(1)).doesNotContainKey("resource");
    assertThat(TestIdp.claims(crm).getAudience()).containsExactly("api://crm");
    assertThat(TestIdp.claims(tickets).getAudience()).containsExactly(TICKETS_CANONICAL);
  }

  @Test
  void unauthorizedDropsTheServiceTokenSoTheRetryGetsAFreshOne() {
    ClientCredentialsHeadersProvider provider =
        provider(ClientAuthCase.PRIVATE_KEY_JWT_RSA).build();
    HeaderContext context = withoutUser(CRM);
    String first = bearer(provider.headers(context));

    assertThat(provider.onUnauthorized(context, "Bearer error=\"invalid_token\"")).isTrue();

    String second = bearer(provider.headers(context));
    assertThat(second).isNotEqualTo(first);
    assertThat(idp.takeTokenRequests()).hasSize(2);
  }

  @Test
  void sitsBeforeTokenExchangeInTheChain() {
    ClientCredentialsHeadersProvider provider =
        provider(ClientAuthCase.CLIENT_SECRET_BASIC).build();

    assertThat(provider.name()).isEqualTo("oauth-client-credentials");
    assertThat(provider.order()).isLessThan(TokenExchangeHeadersProvider.DEFAULT_ORDER);
  }
}
