package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.config.HeaderConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured OAuth providers built from given settings rather than system properties. */
class OAuthSettingsTest {

  @Test
  void noSettingNoProvider() {
    assertThat(OAuthSettings.providers(Map.of("unrelated", "x"), Map.of())).isEmpty();
  }

  @Test
  void eachConfiguredGrantGivesAProviderNamedAsTheDiscoveredOne() {
    List<McpHeaderProvider> providers =
        OAuthSettings.providers(
            Map.of(
                "mcprunner.oauth.token-exchange.token-endpoint", "https://idp.example.com/token",
                "mcprunner.oauth.token-exchange.client-id", "runner",
                "mcprunner.oauth.token-exchange.client-secret", "s1"),
            Map.of(
                "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_TOKEN_ENDPOINT",
                "https://idp.example.com/token",
                "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_ID",
                "batch",
                "MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_CLIENT_SECRET",
                "s2"));
    assertThat(providers)
        .extracting(McpHeaderProvider::name)
        .containsExactly("oauth-token-exchange-config", "oauth-client-credentials-config");
    assertThat(providers.get(0)).isInstanceOf(TokenExchangeHeadersProvider.class);
    assertThat(providers.get(1)).isInstanceOf(ClientCredentialsHeadersProvider.class);
  }

  @Test
  void aSettingWinsOverTheVariableOfTheSameSetting() {
    List<McpHeaderProvider> providers =
        OAuthSettings.providers(
            Map.of(
                "mcprunner.oauth.token-exchange.token-endpoint", "https://idp.example.com/token",
                "mcprunner.oauth.token-exchange.client-id", "runner",
                "mcprunner.oauth.token-exchange.client-secret", "s1",
                "mcprunner.oauth.token-exchange.name", "from-settings"),
            Map.of("MCPRUNNER_OAUTH_TOKEN_EXCHANGE_NAME", "from-variable"));
    assertThat(providers).extracting(McpHeaderProvider::name).containsExactly("from-settings");
  }

  @Test
  void brokenSettingsFailAtOnceNamingTheSettingNeverTheValue() {
    assertThatThrownBy(
            () ->
                OAuthSettings.providers(
                    Map.of(
                        "mcprunner.oauth.token-exchange.client-id", "runner",
                        "mcprunner.oauth.token-exchange.client-secret", "do-not-print-me"),
                    Map.of()))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("oauth-token-exchange-config")
        .hasMessageContaining("mcprunner.oauth.token-exchange.token-endpoint")
        .hasMessageNotContaining("do-not-print-me");
  }
}
