package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.config.HeaderConfigException;
import io.github.mcprunner.headers.oauth.internal.OAuthProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the OAuth providers that the {@code mcprunner.oauth.*} settings describe (token exchange,
 * client credentials, cross-app access; the settings are listed in this module's README), from
 * settings kept somewhere other than the process's system properties, such as a framework's
 * configuration (the Spring Boot starter passes its environment here). The providers are those
 * {@link java.util.ServiceLoader} would configure, with the same names, so that a runner given one
 * leaves the discovered one out.
 *
 * <p>Unlike the discovered providers, which fail their requests closed when misconfigured, this
 * fails at once, so that an application does not start with a broken configuration.
 */
public final class OAuthSettings {
  private OAuthSettings() {}

  /**
   * Returns a provider for each grant with at least one setting in {@code settings} (names as
   * system properties, e.g. {@code mcprunner.oauth.token-exchange.client-id}) or {@code
   * environment} ({@code MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID}); a setting in {@code settings}
   * wins over the variable of the same setting. Empty when none is set.
   *
   * @throws HeaderConfigException if a provider's settings are incomplete, unknown or invalid; the
   *     message names the setting, never its value
   */
  public static List<McpHeaderProvider> providers(
      Map<String, String> settings, Map<String, String> environment) {
    requireNonNull(settings, "settings");
    requireNonNull(environment, "environment");
    List<McpHeaderProvider> providers = new ArrayList<>();
    for (OAuthProperties.Grant grant : OAuthProperties.Grant.values()) {
      OAuthProperties properties = OAuthProperties.read(grant, settings, environment);
      if (properties.isEmpty()) {
        continue;
      }
      try {
        providers.add(properties.build());
      } catch (IllegalArgumentException | IllegalStateException e) {
        String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new HeaderConfigException(
            "OAuth header provider '" + properties.name() + "' is misconfigured: " + problem, e);
      }
    }
    return List.copyOf(providers);
  }
}
