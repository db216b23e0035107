package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.oauth.ClientAuthentication;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The code of the module README, compiled and run (building connects to nothing). */
class ReadmeExamples {
  private static final String KEY_BASE64 =
      Base64.getEncoder().encodeToString(RedisTokenStoreTest.KEY_1);

  private static String env(String name) {
    return switch (name) {
      case "REDIS_URL" -> "redis://127.0.0.1:6379";
      case "TOKEN_STORE_KEY" -> KEY_BASE64;
      default -> "secret";
    };
  }

  @Test
  void multiInstance() {
    // snippet:multi-instance
    RedisTokenStore store =
        RedisTokenStore.builder()
            .uri(env("REDIS_URL")) // redis://host:6379, rediss:// for TLS
            .encryptionKey("2026-12", Base64.getDecoder().decode(env("TOKEN_STORE_KEY")))
            .build(); // fails closed when Redis is down; whenUnavailable(LOCAL_ONLY) to carry on
    McpHeaderProvider exchange =
        TokenExchangeHeadersProvider.builder()
            .tokenEndpoint(URI.create("https://idp.example.com/oauth2/token"))
            .clientAuthentication(
                ClientAuthentication.clientSecretBasic("support-bot", env("CLIENT_SECRET")))
            .tokenStore(store)
            .build();
    // end-snippet
    assertThat(exchange.name()).isEqualTo("oauth-token-exchange");
    store.close();
  }
}
