package io.github.mcprunner.headers.oauth.internal;

import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreFactory;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The token store of the providers configured from properties: settings {@code
 * mcprunner.oauth.token-store.*} (system properties) and {@code MCPRUNNER_OAUTH_TOKEN_STORE_*}
 * (environment variables; a system property wins), shared by the three configured providers. With
 * no setting, or {@code type=memory}, there is none (tokens in each provider's memory). Stores are
 * created once per distinct settings and shared in this JVM (one Redis connection for all). Not
 * public API.
 */
public final class TokenStoreProperties {
  static final String PROPERTY_PREFIX = "mcprunner.oauth.token-store.";
  static final String ENV_PREFIX = "MCPRUNNER_OAUTH_TOKEN_STORE_";

  private static final ConcurrentMap<Map<String, String>, TokenStore> shared =
      new ConcurrentHashMap<>();

  private final Map<String, String> values;

  private TokenStoreProperties(Map<String, String> values) {
    this.values = values;
  }

  /** Reads the settings; nothing is created or checked yet. */
  public static TokenStoreProperties read(
      Map<String, String> systemProperties, Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !value.isBlank()) {
            values.put(name.substring(ENV_PREFIX.length()), value.trim());
          }
        });
    systemProperties.forEach(
        (name, value) -> {
          if (name.startsWith(PROPERTY_PREFIX) && !value.isBlank()) {
            values.put(
                name.substring(PROPERTY_PREFIX.length())
                    .toUpperCase(Locale.ROOT)
                    .replace('-', '_')
                    .replace('.', '_'),
                value.trim());
          }
        });
    return new TokenStoreProperties(Map.copyOf(values));
  }

  /**
   * Returns the store the settings describe, or null for none (in memory).
   *
   * @throws IllegalArgumentException if the type is unknown or a setting invalid (the message names
   *     the setting, never its value)
   */
  public @Nullable TokenStore store() {
    String type = values.getOrDefault("TYPE", values.isEmpty() ? "memory" : null);
    if (type == null) {
      throw new IllegalArgumentException(describe("TYPE") + " is not set (memory or redis)");
    }
    if (type.equalsIgnoreCase("memory")) {
      if (values.size() > 1) {
        throw new IllegalArgumentException(
            "token store settings are set but " + describe("TYPE") + " is memory");
      }
      return null;
    }
    TokenStore existing = shared.get(values);
    if (existing != null) {
      return existing;
    }
    synchronized (shared) {
      existing = shared.get(values);
      if (existing != null) {
        return existing;
      }
      for (TokenStoreFactory factory :
          ServiceLoader.load(
              TokenStoreFactory.class, TokenStoreProperties.class.getClassLoader())) {
        if (factory.type().equalsIgnoreCase(type)) {
          Map<String, String> settings = new TreeMap<>(values);
          settings.remove("TYPE");
          TokenStore store = factory.create(Map.copyOf(settings), TokenStoreProperties::describe);
          shared.put(values, store);
          return store;
        }
      }
    }
    throw new IllegalArgumentException(
        describe("TYPE")
            + " names a token store type no module on the class path provides (memory, or redis"
            + " with token-store-redis)");
  }

  /** Returns the property and environment variable of setting {@code key} (e.g. {@code URI}). */
  static String describe(String key) {
    return PROPERTY_PREFIX
        + key.toLowerCase(Locale.ROOT).replace('_', '-')
        + " ("
        + ENV_PREFIX
        + key
        + ")";
  }
}
