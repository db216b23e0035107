package io.github.mcprunner.headers.oauth.internal;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.Map;

/**
 * The cross-app access provider found by {@link java.util.ServiceLoader}, configured from {@code
 * mcprunner.oauth.cross-app-access.*} system properties and {@code
 * MCPRUNNER_OAUTH_CROSS_APP_ACCESS_*} environment variables; inert when none is set. Not public
 * API.
 */
@AutoService(McpHeaderProvider.class)
public final class ConfiguredCrossAppAccessProvider extends ConfiguredProvider {

  /** Reads the settings from the system properties and the environment. */
  public ConfiguredCrossAppAccessProvider() {
    this(systemProperties(), System.getenv());
  }

  ConfiguredCrossAppAccessProvider(Map<String, String> systemProperties, Map<String, String> env) {
    super(OAuthProperties.Grant.CROSS_APP_ACCESS, systemProperties, env);
  }
}
