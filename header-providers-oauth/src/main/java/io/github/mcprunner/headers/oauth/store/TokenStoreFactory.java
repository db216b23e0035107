package io.github.mcprunner.headers.oauth.store;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Creates the {@link TokenStore} that OAuth providers configured from properties use: found with
 * {@link java.util.ServiceLoader} by its {@link #type()}, named by the setting {@code
 * mcprunner.oauth.token-store.type} (environment variable {@code
 * MCPRUNNER_OAUTH_TOKEN_STORE_TYPE}). The {@code token-store-redis} module registers type {@code
 * redis}.
 */
public interface TokenStoreFactory {
  /** Returns the type this factory creates, e.g. {@code redis}. */
  String type();

  /**
   * Creates a store from its settings.
   *
   * @param settings the settings after {@code mcprunner.oauth.token-store.}, each name upper case
   *     with {@code _} for {@code -} and {@code .} ({@code URI}, {@code KEY_K1}, {@code
   *     WHEN_UNAVAILABLE}), without {@code TYPE}
   * @param describe gives the full property and environment variable names of a setting, for
   *     messages
   * @throws IllegalArgumentException if a setting is missing, unknown or invalid; the message names
   *     the setting (through {@code describe}), never its value
   */
  TokenStore create(Map<String, String> settings, UnaryOperator<String> describe);
}
