package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.CLIENT_SECRET;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_ID;
import static io.github.mcprunner.headers.oauth.EnterpriseAuthServers.IDP_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.ConfiguredProviderAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-app access provider found by ServiceLoader and configured from system properties and
 * environment variables ({@code mcprunner.oauth.cross-app-access.*}, {@code
 * MCPRUNNER_OAUTH_CROSS_APP_ACCESS_*}), given here as maps.
 */
class CrossAppAccessConfigurationTest {
  private static final McpServerRef TICKETS =
      McpServerRef.of("tickets-eu", "https://tickets.example.com/mcp");

  @TempDir Path dir;
  private EnterpriseAuthServers servers;

  @BeforeEach
  void start() throws Exception {
    servers = new EnterpriseAuthServers(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  private HeaderContext forUser(String idToken) {
    return HeaderContext.builder(TICKETS)
        .runId("run-1")
        .mcpMethod("tools/call")
        .put(CrossAppAccessHeadersProvider.ID_TOKEN, idToken)
        .build();
  }

  private static McpHeaderProvider configured(
      Map<String, String> properties, Map<String, String> env) {
    return new ConfiguredProviderAccess().crossAppAccess(properties, env);
  }

  @Test
  void isRegisteredForServiceLoaderAndInertWithoutConfiguration() {
    List<String> found = new ArrayList<>();
    ServiceLoader.load(McpHeaderProvider.class)
        .forEach(p -> found.add(p.getClass().getSimpleName()));
    McpHeaderProvider inert = configured(Map.of(), Map.of("PATH", "/bin"));

    assertThat(found).contains("ConfiguredCrossAppAccessProvider");
    assertThat(inert.appliesTo(TICKETS)).isFalse();
    assertThat(inert.headers(forUser("x"))).isEqualTo(McpHeaders.empty());
    assertThat(inert.order()).isEqualTo(CrossAppAccessHeadersProvider.DEFAULT_ORDER);
  }

  @Test
  void theEnvironmentConfiguresTheConformanceShapedClient() throws Exception {
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, CLIENT_SECRET + "\n", StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put(
        "MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_TOKEN_ENDPOINT",
        servers.idpTokenEndpoint().toString());
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_ID", IDP_CLIENT_ID);
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_AUTH", "none");
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_ISSUER", servers.asIssuer().toString());
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_CLIENT_ID", CLIENT_ID);
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_CLIENT_SECRET_FILE", secret.toString());
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_SCOPE", "mcp.tools");
    env.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_SERVER_TICKETS_EU_SCOPE", "tickets.read");
    McpHeaderProvider provider = configured(Map.of(), env);

    String token = bearer(provider.headers(forUser(servers.idToken("alice"))));

    assertThat(provider.name()).isEqualTo("oauth-cross-app-access-config");
    assertThat(servers.verifiedAccessToken(token).getSubject()).isEqualTo("alice");
    assertThat(servers.idpRequests().get(0).form())
        .containsEntry("client_id", IDP_CLIENT_ID)
        .containsEntry("scope", "tickets.read")
        .containsEntry("audience", servers.asIssuer().toString());
    assertThat(servers.asRequests().get(0).basic()).containsExactly(CLIENT_ID, CLIENT_SECRET);
  }

  @Test
  void systemPropertiesConfigureAnIdpClientWithASecretAndDiscovery() {
    Map<String, String> properties = new HashMap<>();
    properties.put("mcprunner.oauth.cross-app-access.idp-issuer", servers.idpIssuer().toString());
    properties.put("mcprunner.oauth.cross-app-access.idp-client-id", IDP_CLIENT_ID);
    properties.put("mcprunner.oauth.cross-app-access.idp-client-auth", "client_secret_post");
    properties.put("mcprunner.oauth.cross-app-access.idp-client-secret", IDP_CLIENT_SECRET);
    properties.put("mcprunner.oauth.cross-app-access.issuer", servers.asIssuer().toString());
    properties.put("mcprunner.oauth.cross-app-access.client-id", CLIENT_ID);
    properties.put("mcprunner.oauth.cross-app-access.client-secret", CLIENT_SECRET);
    McpHeaderProvider provider = configured(properties, Map.of());

    String token = bearer(provider.headers(forUser(servers.idToken("bob"))));

    assertThat(servers.verifiedAccessToken(token).getSubject()).isEqualTo("bob");
    assertThat(servers.idpRequests().get(0).form())
        .containsEntry("client_id", IDP_CLIENT_ID)
        .containsEntry("client_secret", IDP_CLIENT_SECRET);
  }

  @Test
  void incompleteOrUnknownSettingsFailClosedNamingTheSettingNeverAValue() {
    Map<String, String> base = new HashMap<>();
    base.put(
        "MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_TOKEN_ENDPOINT", "https://idp.example.com/token");
    base.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_ID", IDP_CLIENT_ID);
    base.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_SECRET", IDP_CLIENT_SECRET);
    base.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_CLIENT_ID", CLIENT_ID);
    base.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_CLIENT_SECRET", CLIENT_SECRET);

    Map<String, String> noIssuer = new HashMap<>(base);
    assertFailsNaming(
        noIssuer,
        "mcprunner.oauth.cross-app-access.issuer (MCPRUNNER_OAUTH_CROSS_APP_ACCESS_ISSUER)");

    Map<String, String> audience = new HashMap<>(base);
    audience.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_ISSUER", "https://as.example.com");
    audience.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_SEND_AUDIENCE", "true");
    assertFailsNaming(audience, "unknown setting mcprunner.oauth.cross-app-access.send-audience");

    Map<String, String> noIdpSecret = new HashMap<>(base);
    noIdpSecret.put("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_ISSUER", "https://as.example.com");
    noIdpSecret.remove("MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_SECRET");
    assertFailsNaming(
        noIdpSecret,
        "mcprunner.oauth.cross-app-access.idp-client-secret"
            + " (MCPRUNNER_OAUTH_CROSS_APP_ACCESS_IDP_CLIENT_SECRET)");
  }

  private void assertFailsNaming(Map<String, String> env, String setting) {
    McpHeaderProvider provider = configured(Map.of(), env);
    assertThat(provider.appliesTo(TICKETS)).isTrue();
    assertThatThrownBy(() -> provider.headers(forUser("id-token")))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining(setting)
        .hasMessageNotContaining(CLIENT_SECRET)
        .hasMessageNotContaining(IDP_CLIENT_SECRET);
  }
}
