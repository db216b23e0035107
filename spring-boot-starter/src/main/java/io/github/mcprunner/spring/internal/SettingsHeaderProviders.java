package io.github.mcprunner.spring.internal;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.config.ConfiguredHeadersProvider;
import io.github.mcprunner.headers.config.TenantHeadersProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * The header providers that the providers' own settings ({@code mcprunner.headers.*}, {@code
 * mcprunner.oauth.*}) configure, read from Spring's environment as well as from the system
 * properties and environment variables the discovered providers read: a setting in {@code
 * application.properties}, a profile or any other property source then works as a system property
 * would. Each provider has the name of the discovered one, which the runner then leaves out. Closed
 * with the application context. Not public API.
 */
public final class SettingsHeaderProviders implements AutoCloseable {
  /** The prefix of every provider setting. */
  static final String SETTINGS_PREFIX = "mcprunner.";

  private static final String OAUTH_SETTINGS = "io.github.mcprunner.headers.oauth.OAuthSettings";

  private final List<McpHeaderProvider> providers;

  private SettingsHeaderProviders(List<McpHeaderProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /**
   * Builds the providers the settings configure.
   *
   * @throws McpRunnerConfigurationException if a setting is invalid (naming it, never its value)
   */
  public static SettingsHeaderProviders from(ConfigurableEnvironment environment) {
    Map<String, String> settings = settings(environment);
    Map<String, String> variables = System.getenv();
    List<McpHeaderProvider> built = new ArrayList<>();
    try {
      built.add(
          ConfiguredHeadersProvider.builder()
              .autoConfigure()
              .systemProperties(settings)
              .environment(variables)
              .build());
      built.add(
          TenantHeadersProvider.builder()
              .autoConfigure()
              .systemProperties(settings)
              .environment(variables)
              .build());
      if (ClassUtils.isPresent(OAUTH_SETTINGS, SettingsHeaderProviders.class.getClassLoader())) {
        built.addAll(OAuthProviders.of(settings, variables));
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      closeAll(built);
      throw new McpRunnerConfigurationException(
          "Header provider settings (mcprunner.*) are invalid: " + e.getMessage(), e);
    }
    return new SettingsHeaderProviders(built);
  }

  /** Returns the providers. */
  public List<McpHeaderProvider> providers() {
    return providers;
  }

  /** Returns the system properties, overlaid by every {@code mcprunner.*} property of Spring's. */
  static Map<String, String> settings(ConfigurableEnvironment environment) {
    Map<String, String> settings = new HashMap<>();
    Properties system = System.getProperties();
    for (String name : system.stringPropertyNames()) {
      settings.put(name, system.getProperty(name));
    }
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith(SETTINGS_PREFIX) && !settings.containsKey(name)) {
            String value = property(environment, name);
            if (value != null) {
              settings.put(name, value);
            }
          }
        }
      }
    }
    return settings;
  }

  /**
   * Returns the value of {@code name}, placeholders resolved.
   *
   * @throws McpRunnerConfigurationException if a placeholder cannot be resolved: Spring's message
   *     quotes the whole value, which may be a secret that happens to hold {@code ${}
   */
  private static @Nullable String property(ConfigurableEnvironment environment, String name) {
    try {
      return environment.getProperty(name);
    } catch (IllegalArgumentException e) {
      throw new McpRunnerConfigurationException(
          name,
          "holds a ${...} placeholder that cannot be resolved (escape a literal '${' in a secret"
              + " as '\\${')");
    }
  }

  @Override
  public void close() {
    closeAll(providers);
  }

  private static void closeAll(List<McpHeaderProvider> providers) {
    for (McpHeaderProvider provider : providers) {
      if (provider instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing stops a background reload check; nothing is left to do on failure
        }
      }
    }
  }
}
