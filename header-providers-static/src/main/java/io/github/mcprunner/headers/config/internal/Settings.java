package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.SettingReader;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The settings that switch the configured providers on, as system properties and environment
 * variables (a system property wins over the variable of the same setting, as in OpenTelemetry's
 * autoconfigure). An empty value counts as unset. Not public API.
 */
public final class Settings {

  /** Names the header configuration file. */
  public static final String CONFIG_FILE_PROPERTY = "mcprunner.headers.config.file";

  /** Environment form of {@link #CONFIG_FILE_PROPERTY}. */
  public static final String CONFIG_FILE_ENV = "MCPRUNNER_HEADERS_CONFIG_FILE";

  /** Names the tenant table file. */
  public static final String TENANTS_FILE_PROPERTY = "mcprunner.headers.tenants.file";

  /** Environment form of {@link #TENANTS_FILE_PROPERTY}. */
  public static final String TENANTS_FILE_ENV = "MCPRUNNER_HEADERS_TENANTS_FILE";

  /** How often files are checked for changes; {@code 0} turns reloading off. */
  public static final String RELOAD_INTERVAL_PROPERTY = "mcprunner.headers.reload.interval";

  /** Environment form of {@link #RELOAD_INTERVAL_PROPERTY}. */
  public static final String RELOAD_INTERVAL_ENV = "MCPRUNNER_HEADERS_RELOAD_INTERVAL";

  /**
   * Whether a reload may remove sections of the configuration, down to none ({@code true} or {@code
   * false}, the default): otherwise such a reload is refused like a broken file.
   */
  public static final String ALLOW_REMOVING_SECTIONS_PROPERTY =
      "mcprunner.headers.reload.allow-removing-sections";

  /** Environment form of {@link #ALLOW_REMOVING_SECTIONS_PROPERTY}. */
  public static final String ALLOW_REMOVING_SECTIONS_ENV =
      "MCPRUNNER_HEADERS_RELOAD_ALLOW_REMOVING_SECTIONS";

  /** Global headers, {@code Name=value,...}. */
  public static final String HEADERS_PROPERTY = "mcprunner.headers";

  /** Environment form of {@link #HEADERS_PROPERTY}. */
  public static final String HEADERS_ENV = "MCPRUNNER_HEADERS";

  /** Followed by a server name: that server's headers, {@code Name=value,...}. */
  public static final String SERVER_PROPERTY_PREFIX = "mcprunner.headers.server.";

  /** Environment form of {@link #SERVER_PROPERTY_PREFIX}; the server name as {@code CRM_EU}. */
  public static final String SERVER_ENV_PREFIX = "MCPRUNNER_HEADERS_SERVER_";

  /** Followed by {@code <id>.prefix} or {@code <id>.headers}: a URI prefix section. */
  public static final String URI_PROPERTY_PREFIX = "mcprunner.headers.uri.";

  /**
   * Environment form of {@link #URI_PROPERTY_PREFIX}: {@code <ID>_PREFIX}, {@code <ID>_HEADERS}.
   */
  public static final String URI_ENV_PREFIX = "MCPRUNNER_HEADERS_URI_";

  /** The default interval between two checks of the files for changes. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  /**
   * A setting's value and where it came from.
   *
   * @param value the value
   * @param origin e.g. {@code "system property 'mcprunner.headers.config.file'"}
   */
  public record Setting(String value, String origin) {}

  private Settings() {}

  /** Returns the setting named {@code property} / {@code env}, if set. */
  public static @Nullable Setting get(
      Map<String, String> environment,
      Map<String, String> systemProperties,
      String property,
      String env) {
    String value = systemProperties.get(property);
    if (value != null && !value.isBlank()) {
      return new Setting(value.strip(), "system property " + SafeText.quote(property));
    }
    value = environment.get(env);
    if (value != null && !value.isBlank()) {
      return new Setting(value.strip(), "environment variable " + SafeText.quote(env));
    }
    return null;
  }

  /** Returns whether any header section is configured through the environment or properties. */
  public static boolean hasHeaderSections(
      Map<String, String> environment, Map<String, String> systemProperties) {
    for (String name : environment.keySet()) {
      if (name.equals(HEADERS_ENV)
          || name.startsWith(SERVER_ENV_PREFIX)
          || name.startsWith(URI_ENV_PREFIX)) {
        return true;
      }
    }
    for (String name : systemProperties.keySet()) {
      if (name.equals(HEADERS_PROPERTY)
          || name.startsWith(SERVER_PROPERTY_PREFIX)
          || name.startsWith(URI_PROPERTY_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the reload interval the settings give, or {@code fallback}. */
  public static Duration reloadInterval(
      Map<String, String> environment, Map<String, String> systemProperties, Duration fallback) {
    Setting setting =
        get(environment, systemProperties, RELOAD_INTERVAL_PROPERTY, RELOAD_INTERVAL_ENV);
    return setting == null ? fallback : parseDuration(setting.value(), setting.origin());
  }

  /** Returns whether the settings allow a reload to remove sections (default {@code false}). */
  public static boolean allowRemovingSections(
      Map<String, String> environment, Map<String, String> systemProperties) {
    Setting setting =
        get(
            environment,
            systemProperties,
            ALLOW_REMOVING_SECTIONS_PROPERTY,
            ALLOW_REMOVING_SECTIONS_ENV);
    return setting != null && parseBoolean(setting.value(), setting.origin());
  }

  /** Parses {@code true} or {@code false} (any case), with the shared {@link SettingReader}. */
  public static boolean parseBoolean(String text, String origin) {
    return SettingReader.bool(text, origin);
  }

  /**
   * Parses a duration with the shared {@link SettingReader}: {@code 10s}, {@code 500ms}, {@code
   * 1m}, {@code 1h}, {@code PT1M}; a number without a unit is in milliseconds.
   */
  public static Duration parseDuration(String text, String origin) {
    return SettingReader.duration(text, origin, ChronoUnit.MILLIS);
  }

  /** Returns a copy of the process's system properties that hold strings. */
  public static Map<String, String> systemProperties() {
    Properties properties = System.getProperties();
    Map<String, String> copy = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      String value = properties.getProperty(name);
      if (value != null) {
        copy.put(name, value);
      }
    }
    return copy;
  }
}
