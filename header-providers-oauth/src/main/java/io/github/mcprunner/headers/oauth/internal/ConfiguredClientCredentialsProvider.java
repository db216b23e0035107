package io.github.mcprunner.headers.oauth.internal;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.Map;

/**
 * The client credentials provider found by {@link java.util.ServiceLoader}, configured from {@code
 * mcprunner.oauth.client-credentials.*} system properties and {@code
 * MCPRUNNER_OAUTH_CLIENT_CREDENTIALS_*} environment variables; inert when none is set. Not public
 * API.
 */
@AutoService(McpHeaderProvider.class)
public final class ConfiguredClientCredentialsProvider extends ConfiguredProvider {

  /** Reads the settings from the system properties and the environment. */
  public ConfiguredClientCredentialsProvider() {
    this(systemProperties(), System.getenv());
  }

  ConfiguredClientCredentialsProvider(
      Map<String, String> systemProperties, Map<String, String> env) {
    super(OAuthProperties.Grant.CLIENT_CREDENTIALS, systemProperties, env);
  }
}
