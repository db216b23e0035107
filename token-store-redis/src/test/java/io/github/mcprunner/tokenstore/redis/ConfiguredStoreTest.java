package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.OAuthProperties;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store configured through the providers' properties and environment variables. */
class ConfiguredStoreTest {
  private static RedisServer redis;
  private static Idp idp;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    idp = new Idp(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    if (idp != null) {
      idp.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static Map<String, String> exchange() {
    Map<String, String> properties = new HashMap<>();
    properties.put("mcprunner.oauth.token-exchange.token-endpoint", idp.tokenEndpoint().toString());
    properties.put("mcprunner.oauth.token-exchange.client-id", "service");
    properties.put("mcprunner.oauth.token-exchange.client-secret", "s3cret");
    return properties;
  }

  @Test
  void aProviderConfiguredFromPropertiesKeepsItsTokensEncryptedInRedis() {
    Map<String, String> properties = exchange();
    properties.put("mcprunner.oauth.token-store.type", "redis");
    properties.put("mcprunner.oauth.token-store.uri", redis.uri());
    properties.put("mcprunner.oauth.token-store.namespace", "svc-a");
    Map<String, String> env =
        Map.of(
            "MCPRUNNER_OAUTH_TOKEN_STORE_KEY_K1",
            Base64.getEncoder().encodeToString(RedisTokenStoreTest.KEY_1));
    McpHeaderProvider provider =
        OAuthProperties.read(OAuthProperties.Grant.TOKEN_EXCHANGE, properties, env).build();
    HeaderContext context =
        HeaderContext.builder(McpServerRef.of("crm", "http://127.0.0.1:1/mcp"))
            .runId("r")
            .put(ContextKey.SUBJECT_TOKEN, idp.userToken("alice"))
            .build();

    String authorization = provider.headers(context).get("Authorization").orElseThrow();

    Map<String, String> contents = redis.contents();
    assertThat(contents).hasSize(1);
    String key = contents.keySet().iterator().next();
    assertThat(key).startsWith("svc-a:token:");
    assertThat(contents.get(key))
        .startsWith("v1.K1.")
        .doesNotContain(authorization.substring(authorization.lastIndexOf('.') + 1));
  }

  @Test
  void misconfigurationNamesTheSettingNeverItsValue() {
    Map<String, String> noKey = exchange();
    noKey.put("mcprunner.oauth.token-store.type", "redis");
    noKey.put("mcprunner.oauth.token-store.uri", "redis://:hunter2@127.0.0.1:1");
    assertThatThrownBy(
            () ->
                OAuthProperties.read(OAuthProperties.Grant.TOKEN_EXCHANGE, noKey, Map.of()).build())
        .hasMessageContaining("no encryption key is set")
        .hasMessageContaining("mcprunner.oauth.token-store.key-<id>")
        .hasMessageNotContaining("hunter2");

    Map<String, String> unknown = exchange();
    unknown.put("mcprunner.oauth.token-store.type", "redis");
    unknown.put("mcprunner.oauth.token-store.uri", redis.uri());
    unknown.put("mcprunner.oauth.token-store.store-in-clear", "true");
    unknown.put("mcprunner.oauth.token-store.colour", "blue");
    assertThatThrownBy(
            () ->
                OAuthProperties.read(OAuthProperties.Grant.TOKEN_EXCHANGE, unknown, Map.of())
                    .build())
        .hasMessage(
            "unknown setting mcprunner.oauth.token-store.colour"
                + " (MCPRUNNER_OAUTH_TOKEN_STORE_COLOUR)");

    Map<String, String> badKey = exchange();
    badKey.put("mcprunner.oauth.token-store.type", "redis");
    badKey.put("mcprunner.oauth.token-store.uri", redis.uri());
    badKey.put("mcprunner.oauth.token-store.key.k1", "not base64 at all!");
    assertThatThrownBy(
            () ->
                OAuthProperties.read(OAuthProperties.Grant.TOKEN_EXCHANGE, badKey, Map.of())
                    .build())
        .hasMessage(
            "mcprunner.oauth.token-store.key-k1 (MCPRUNNER_OAUTH_TOKEN_STORE_KEY_K1) must be"
                + " base64");
  }
}
