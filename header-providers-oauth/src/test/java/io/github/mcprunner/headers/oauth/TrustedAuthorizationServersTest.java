package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A rogue MCP server names an authorization server it controls: the provider must not send its
 * client secret there. Real loopback servers: {@code mcp} serves the protected resource metadata,
 * {@code rogue} a complete authorization server.
 */
class TrustedAuthorizationServersTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";
  private static final String AS_META = "/.well-known/oauth-authorization-server";
  private static final URI TRUSTED = URI.create("https://auth.example.com");

  private LoopbackAuthorization mcp;
  private LoopbackAuthorization rogue;
  private McpServerRef server;
  private String challenge;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    mcp = new LoopbackAuthorization();
    rogue = new LoopbackAuthorization();
    String resource = mcp.base() + "/mcp";
    server = McpServerRef.of("crm", resource);
    mcp.resourceMetadata(PRM_MCP, resource, rogue.base(), null);
    rogue.serverMetadata(AS_META, rogue.base(), null);
    challenge =
        "Bearer error=\"invalid_token\", resource_metadata=\"" + mcp.base() + PRM_MCP + "\"";
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void stop() {
    root().detachAppender(logs);
    mcp.close();
    rogue.close();
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private HeaderContext context(String identity) {
    return HeaderContext.builder(server).runId("r").identity(identity).build();
  }

  private void assertOneWarningNamingServerAndIssuer() {
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().toString().equals("WARN"))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("'crm'", rogue.base()));
  }

  @Test
  void clientCredentialsWithASecretSendNothingToAnAuthorizationServerOffTheList() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .authorizationServers(TRUSTED)
            .build();

    assertThat(provider.onUnauthorized(context(null), challenge)).isFalse();

    assertThat(rogue.received("/token")).isEmpty();
    assertThat(provider.headers(context(null)).isEmpty()).isTrue();
    assertOneWarningNamingServerAndIssuer();
  }

  @Test
  void aPreRegisteredSecretClientOfTheAuthorizationCodeGrantSignsNoUserInOffTheList() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .clientAuthentication(ClientAuthCase.CLIENT_SECRET_POST.authentication())
            .authorizationServers(TRUSTED)
            .build();

    assertThat(provider.onUnauthorized(context("alice"), challenge)).isFalse();

    assertThat(rogue.received("/authorize")).isEmpty();
    assertThat(rogue.received("/token")).isEmpty();
    assertOneWarningNamingServerAndIssuer();
  }

  @Test
  void anIssuerOnTheListIsUsedWhateverTheCaseOfItsHostAndATrailingSlash() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .authorizationServers(TRUSTED, URI.create(rogue.base().replace("http", "HTTP") + "/"))
            .build();

    assertThat(provider.onUnauthorized(context(null), challenge)).isTrue();
    assertThat(rogue.received("/token")).hasSize(1);
  }

  @Test
  void trustAnyAuthorizationServerIsTheExplicitOptOut() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.CLIENT_SECRET_POST.authentication())
            .trustAnyAuthorizationServer()
            .build();

    assertThat(provider.onUnauthorized(context(null), challenge)).isTrue();
    assertThat(rogue.received("/token")).hasSize(1);
  }

  @Test
  void aSecretWithoutAllowlistOrOptOutFailsTheBuildAndSoDoBoth() {
    assertThatThrownBy(
            () ->
                McpAuthorizationHeadersProvider.clientCredentials(
                        ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("authorizationServers")
        .hasMessageNotContaining(ClientAuthCase.SECRET);
    assertThatThrownBy(
            () ->
                McpAuthorizationHeadersProvider.authorizationCode(
                        McpAuthorizationHeadersProviderTest.HEADLESS,
                        URI.create("http://127.0.0.1:1/callback"))
                    .clientAuthentication(ClientAuthCase.CLIENT_SECRET_POST.authentication())
                    .build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                McpAuthorizationHeadersProvider.clientCredentials(
                        ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
                    .authorizationServers(TRUSTED)
                    .trustAnyAuthorizationServer()
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void privateKeyJwtAndDynamicallyRegisteredClientsNeedNoAllowlist() {
    McpAuthorizationHeadersProvider service =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
            .build();
    McpAuthorizationHeadersProvider users =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .build();

    assertThat(service.onUnauthorized(context(null), challenge)).isTrue();
    assertThat(users.onUnauthorized(context("alice"), challenge)).isTrue();
  }

  @Test
  void crossAppAccessWithADiscoveredTargetRequestsNoTokenForAnAuthorizationServerOffTheList()
      throws Exception {
    try (EnterpriseAuthServers enterprise = new EnterpriseAuthServers(MutableClock.startingNow())) {
      mcp.resourceMetadata(
          PRM_MCP, server.uri().toString(), enterprise.asIssuer().toString(), null);
      CrossAppAccessHeadersProvider provider =
          CrossAppAccessHeadersProvider.builder()
              .idpTokenEndpoint(enterprise.idpTokenEndpoint())
              .idpPublicClient(EnterpriseAuthServers.IDP_CLIENT_ID)
              .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
              .authorizationTargets(
                  AuthorizationTarget.discovery().authorizationServers(TRUSTED).build())
              .maxAttempts(1)
              .build();
      HeaderContext context =
          HeaderContext.builder(server)
              .runId("r")
              .put(CrossAppAccessHeadersProvider.ID_TOKEN, enterprise.idToken("alice"))
              .build();

      assertThatThrownBy(() -> provider.headers(context))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessageContaining(enterprise.asIssuer().toString());
      assertThatThrownBy(() -> provider.headers(context))
          .isInstanceOf(HeaderProviderException.class);
      assertThat(provider.onUnauthorized(context, challenge)).isFalse();

      assertThat(enterprise.idpRequests()).isEmpty();
      assertThat(enterprise.asRequests()).isEmpty();
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel().toString().equals("WARN"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains("'crm'", enterprise.asIssuer().toString()));

      CrossAppAccessHeadersProvider trusting =
          CrossAppAccessHeadersProvider.builder()
              .idpTokenEndpoint(enterprise.idpTokenEndpoint())
              .idpPublicClient(EnterpriseAuthServers.IDP_CLIENT_ID)
              .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
              .authorizationTargets(
                  AuthorizationTarget.discovery()
                      .authorizationServers(enterprise.asIssuer())
                      .build())
              .maxAttempts(1)
              .build();
      assertThat(trusting.headers(context).isEmpty()).isFalse();
    }
  }

  @Test
  void crossAppAccessWithASecretAndAnUnrestrictedDiscoveryFailsTheBuild() {
    CrossAppAccessHeadersProvider.Builder builder =
        CrossAppAccessHeadersProvider.builder()
            .idpTokenEndpoint(URI.create("https://idp.example.com/token"))
            .idpPublicClient("app")
            .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .authorizationTargets(AuthorizationTarget.discovered());
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("authorizationServers");

    assertThat(
            CrossAppAccessHeadersProvider.builder()
                .idpTokenEndpoint(URI.create("https://idp.example.com/token"))
                .idpPublicClient("app")
                .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
                .authorizationTargets(
                    AuthorizationTarget.discovery().trustAnyAuthorizationServer().build())
                .build())
        .isNotNull();
  }
}
