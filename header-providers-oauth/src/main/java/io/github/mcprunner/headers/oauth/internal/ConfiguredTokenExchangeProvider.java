package io.github.mcprunner.headers.oauth.internal;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.Map;

/**
 * The token exchange provider found by {@link java.util.ServiceLoader}, configured from {@code
 * mcprunner.oauth.token-exchange.*} system properties and {@code MCPRUNNER_OAUTH_TOKEN_EXCHANGE_*}
 * environment variables; inert when none is set. Not public API.
 */
@AutoService(McpHeaderProvider.class)
public final class ConfiguredTokenExchangeProvider extends ConfiguredProvider {

  /** Reads the settings from the system properties and the environment. */
  public ConfiguredTokenExchangeProvider() {
    this(systemProperties(), System.getenv());
  }

  ConfiguredTokenExchangeProvider(Map<String, String> systemProperties, Map<String, String> env) {
    super(OAuthProperties.Grant.TOKEN_EXCHANGE, systemProperties, env);
  }
}
