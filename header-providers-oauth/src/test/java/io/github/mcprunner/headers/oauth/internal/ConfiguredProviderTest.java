package io.github.mcprunner.headers.oauth.internal;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.CRM_CANONICAL;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static io.github.mcprunner.headers.oauth.Contexts.withoutUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.ClientAuthCase;
import io.github.mcprunner.headers.oauth.ClientCredentialsHeadersProvider;
import io.github.mcprunner.headers.oauth.MutableClock;
import io.github.mcprunner.headers.oauth.TestIdp;
import io.github.mcprunner.headers.oauth.TestKeys;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The providers found by ServiceLoader, configured from system properties and environment variables
 * (given here as maps, the way the no-argument constructors read them).
 */
class ConfiguredProviderTest {
  private static final MutableClock clock = MutableClock.startingNow();
  private static TestIdp idp;

  @TempDir Path dir;

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

  @Test
  void bothProvidersAreRegisteredForServiceLoaderAndInertWithoutConfiguration() {
    List<McpHeaderProvider> found = new ArrayList<>();
    ServiceLoader.load(McpHeaderProvider.class).forEach(found::add);

    assertThat(found)
        .extracting(p -> p.getClass().getSimpleName())
        .contains("ConfiguredTokenExchangeProvider", "ConfiguredClientCredentialsProvider");
    ConfiguredTokenExchangeProvider exchange =
        new ConfiguredTokenExchangeProvider(Map.of("user.home", "/home/x"), Map.of("PATH", "/bin"));
    ConfiguredClientCredentialsProvider credentials =
        new ConfiguredClientCredentialsProvider(Map.of(), Map.of());
    for (ConfiguredProvider provider : List.of(exchange, credentials)) {
      assertThat(provider.isConfigured()).isFalse();
      assertThat(provider.appliesTo(CRM)).isFalse();
      assertThat(provider.headers(withoutUser(CRM))).isEqualTo(McpHeaders.empty());
      assertThat(provider.onUnauthorized(withoutUser(CRM), null)).isFalse();
    }
    assertThat(exchange.name()).isEqualTo("oauth-token-exchange-config");
    assertThat(exchange.order()).isEqualTo(TokenExchangeHeadersProvider.DEFAULT_ORDER);
    assertThat(credentials.name()).isEqualTo("oauth-client-credentials-config");
    assertThat(credentials.order()).isEqualTo(ClientCredentialsHeadersProvider.DEFAULT_ORDER);
  }

  @Test
  void tokenExchangeConfiguredFromEnvironmentVariablesExchangesTokens() {
    Map<String, String> env = new HashMap<>();
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_TOKEN_ENDPOINT", idp.tokenEndpoint().toString());
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID", ClientAuthCase.CLIENT_ID);
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_SECRET", ClientAuthCase.SECRET);
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_AUTH", "client_secret_post");
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_SCOPE", "mcp.tools");
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_SUBJECT_TOKEN_TYPE", "jwt");
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_SERVERS", "crm, tickets");
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_SERVER_TICKETS_AUDIENCE", "api://tickets");
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLOCK_SKEW", "30s");
    ConfiguredTokenExchangeProvider provider = new ConfiguredTokenExchangeProvider(Map.of(), env);

    String crm = bearer(provider.headers(forUser(CRM, idp.userToken("alice"))));
    String tickets = bearer(provider.headers(forUser(TICKETS, idp.userToken("alice"))));

    assertThat(TestIdp.claims(crm).getAudience()).containsExactly(CRM_CANONICAL);
    assertThat(TestIdp.claims(tickets).getAudience()).containsExactly("api://tickets");
    List<Map<String, List<String>>> requests = idp.takeTokenRequests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).get("client_secret")).containsExactly(ClientAuthCase.SECRET);
    assertThat(requests.get(0).get("scope")).containsExactly("mcp.tools");
    assertThat(requests.get(0).get("subject_token_type"))
        .containsExactly("urn:ietf:params:oauth:token-type:jwt");
    assertThat(provider.appliesTo(McpServerRef.of("other", "https://other.example.com"))).isFalse();
    assertThat(provider.toString()).doesNotContain(ClientAuthCase.SECRET);
  }

  @Test
  void clientCredentialsConfiguredFromPropertiesWithAPrivateKeyFile() throws IOException {
    Path key = dir.resolve("client.pem");
    Files.writeString(key, pem(TestKeys.RSA.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    Map<String, String> properties = new HashMap<>();
    properties.put("mcprunner.oauth.client-credentials.issuer", idp.issuer().toString());
    properties.put("mcprunner.oauth.client-credentials.client-id", ClientAuthCase.CLIENT_ID);
    properties.put("mcprunner.oauth.client-credentials.private-key-file", key.toString());
    properties.put("mcprunner.oauth.client-credentials.private-key-id", "rsa-1");
    properties.put("mcprunner.oauth.client-credentials.name", "service-token");
    properties.put("mcprunner.oauth.client-credentials.order", "42");
    ConfiguredClientCredentialsProvider provider =
        new ConfiguredClientCredentialsProvider(properties, Map.of());

    String token = bearer(provider.headers(withoutUser(CRM)));

    assertThat(provider.name()).isEqualTo("service-token");
    assertThat(provider.order()).isEqualTo(42);
    assertThat(TestIdp.claims(token).getAudience()).containsExactly(CRM_CANONICAL);
    List<TestIdp.TokenRequestRecord> requests = idp.takeRecordedTokenRequests();
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).form().get("client_assertion")).hasSize(1);
  }

  @Test
  void aSystemPropertyWinsOverTheEnvironmentVariableOfTheSameSetting() {
    OAuthProperties properties =
        OAuthProperties.read(
            OAuthProperties.Grant.TOKEN_EXCHANGE,
            Map.of("mcprunner.oauth.token-exchange.scope", "from-property"),
            Map.of(
                "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_SCOPE", "from-env",
                "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID", "id-from-env"));

    assertThat(properties.get("SCOPE")).contains("from-property");
    assertThat(properties.get("CLIENT_ID")).contains("id-from-env");
  }

  @Test
  void anIncompleteConfigurationFailsClosedNamingTheSettingButNeverASecret() {
    Map<String, String> env = new HashMap<>();
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID", ClientAuthCase.CLIENT_ID);
    env.put("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_SECRET", ClientAuthCase.SECRET);
    ConfiguredTokenExchangeProvider provider = new ConfiguredTokenExchangeProvider(Map.of(), env);

    assertThat(provider.isConfigured()).isTrue();
    assertThat(provider.appliesTo(CRM)).isTrue();
    assertThatThrownBy(() -> provider.headers(forUser(CRM, "user-token")))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessage(
            "Header provider 'oauth-token-exchange-config' failed for server 'crm': is"
                + " misconfigured: set exactly one of mcprunner.oauth.token-exchange.token-endpoint"
                + " (MCPRUNNER_OAUTH_TOKEN_EXCHANGE_TOKEN_ENDPOINT) and"
                + " mcprunner.oauth.token-exchange.issuer (MCPRUNNER_OAUTH_TOKEN_EXCHANGE_ISSUER);"
                + " the request was not sent");
    assertThat(provider.toString()).doesNotContain(ClientAuthCase.SECRET);
  }

  @Test
  void invalidSettingsAreNamedWithoutTheirValues() {
    assertThat(problem(Map.of("MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_SECRETT", "typo-secret")))
        .contains("unknown setting mcprunner.oauth.client-credentials.client-secrett")
        .doesNotContain("typo-secret");
    assertThat(
            problem(
                Map.of(
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_TOKEN_ENDPOINT",
                        "https://idp.example.com/t",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_ID", "c",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_SECRET", "secret-value",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_READ_TIMEOUT", "soon")))
        .contains("mcprunner.oauth.client-credentials.read-timeout")
        .doesNotContain("secret-value", "soon");
    assertThat(
            problem(
                Map.of(
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_TOKEN_ENDPOINT",
                        "https://idp.example.com/t",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_ID", "c",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_SECRET", "secret-value",
                    "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_SUBJECT_TOKEN_TYPE", "jwt")))
        .contains("unknown setting mcprunner.oauth.client-credentials.subject-token-type");
  }

  private static String problem(Map<String, String> env) {
    ConfiguredClientCredentialsProvider provider =
        new ConfiguredClientCredentialsProvider(Map.of(), env);
    try {
      provider.headers(withoutUser(CRM));
    } catch (HeaderProviderException e) {
      return e.getMessage();
    }
    throw new AssertionError("provider did not fail");
  }

  @Test
  void serverNamesInEnvironmentVariablesMatchIgnoringCaseAndPunctuation() {
    assertThat(TokenHeaderResolver.looseName("crm-eu.v2")).isEqualTo("CRM_EU_V2");
  }

  static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
