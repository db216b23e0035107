package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.withoutUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner asks providers on 401 and 403 alike. A 403 that is not a {@code Bearer} challenge with
 * {@code insufficient_scope} (a forbidden operation) must not drop tokens, discover again or send
 * the user to sign in again; an {@code invalid_token} challenge still does.
 */
class ForbiddenIsNotUnauthorizedTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";
  private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

  /** What 403s for a forbidden operation carry: nothing, another error, another scheme. */
  private static final List<String> FORBIDDEN =
      Arrays.asList(
          null,
          "",
          "Bearer error=\"access_denied\"",
          "Bearer error=\"invalid_request\", error_description=\"no\"",
          "Basic realm=\"admin\"");

  private LoopbackAuthorization as;
  private McpServerRef server;
  private String challenge;

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    String resource = as.base() + "/mcp";
    server = McpServerRef.of("crm", resource);
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .serverMetadata("/.well-known/oauth-authorization-server", as.base(), null);
    challenge = "Bearer error=\"invalid_token\", resource_metadata=\"" + as.base() + PRM_MCP + "\"";
  }

  @AfterEach
  void stop() {
    as.close();
  }

  private HeaderContext alice() {
    return HeaderContext.builder(server).runId("r").identity("alice").build();
  }

  @Test
  void aForbiddenOperationNeverSendsTheUserToSignInAgainButAnInvalidTokenDoes() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .build();
    assertThat(provider.onUnauthorized(alice(), challenge)).isTrue();
    String token = bearer(provider.headers(alice()));
    int requests = as.received.size();

    for (String forbidden : FORBIDDEN) {
      assertThat(provider.onUnauthorized(alice(), forbidden))
          .as(String.valueOf(forbidden))
          .isFalse();
      assertThat(bearer(provider.headers(alice()))).isEqualTo(token);
    }
    assertThat(as.received).as("no discovery, no sign-in, no token request").hasSize(requests);

    assertThat(provider.onUnauthorized(alice(), challenge)).isTrue();
    assertThat(as.received("/authorize")).hasSize(2);
    assertThat(bearer(provider.headers(alice()))).isNotEqualTo(token);
  }

  @Test
  void withoutATokenSentARefusalWithoutChallengeStartsAuthorization() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
            .build();

    assertThat(provider.onUnauthorized(withoutUser(server), null)).isTrue();
    String token = bearer(provider.headers(withoutUser(server)));

    assertThat(provider.onUnauthorized(withoutUser(server), null)).isFalse();
    assertThat(provider.onUnauthorized(withoutUser(server), "Bearer error=\"access_denied\""))
        .isFalse();
    assertThat(bearer(provider.headers(withoutUser(server)))).isEqualTo(token);
    assertThat(as.received("/token")).hasSize(1);
  }

  @Test
  void aConfiguredClientCredentialsTokenIsKeptOnAForbiddenOperationAndInsufficientScope() {
    try (TestIdp idp = new TestIdp(MutableClock.startingNow())) {
      ClientCredentialsHeadersProvider provider =
          ClientCredentialsHeadersProvider.builder()
              .tokenEndpoint(idp.tokenEndpoint())
              .clientAuthentication(ClientAuthCase.PRIVATE_KEY_JWT_RSA.authentication())
              .build();
      HeaderContext context = withoutUser(CRM);
      String token = bearer(provider.headers(context));

      for (String forbidden : FORBIDDEN) {
        assertThat(provider.onUnauthorized(context, forbidden)).isFalse();
      }
      assertThat(
              provider.onUnauthorized(
                  context, "Bearer error=\"insufficient_scope\", scope=\"crm.write\""))
          .as("the scope is configured: a new token would carry the same")
          .isFalse();
      assertThat(bearer(provider.headers(context))).isEqualTo(token);
      assertThat(idp.takeTokenRequests()).hasSize(1);

      assertThat(provider.onUnauthorized(context, INVALID_TOKEN)).isTrue();
      assertThat(bearer(provider.headers(context))).isNotEqualTo(token);
    }
  }
}
