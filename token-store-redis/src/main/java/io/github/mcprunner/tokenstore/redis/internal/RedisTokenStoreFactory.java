package io.github.mcprunner.tokenstore.redis.internal;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreFactory;
import io.github.mcprunner.tokenstore.redis.RedisTokenStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token store type {@code redis} for the providers configured from properties: settings {@code
 * uri}, {@code namespace}, {@code key.<id>} (base64), {@code current-key}, {@code store-in-clear},
 * {@code when-unavailable} ({@code fail-closed}, {@code local-only}), {@code timeout}, {@code
 * refresh-token-retention}. Not public API; the settings are listed in the module's README.
 */
@AutoService(TokenStoreFactory.class)
public final class RedisTokenStoreFactory implements TokenStoreFactory {
  private static final Pattern KEY = Pattern.compile("KEY_([A-Z0-9_]{1,60})");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  @Override
  public String type() {
    return "redis";
  }

  @Override
  public TokenStore create(Map<String, String> settings, UnaryOperator<String> describe) {
    RedisTokenStore.Builder builder = RedisTokenStore.builder();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String name = setting.getKey();
      String value = setting.getValue();
      Matcher key = KEY.matcher(name);
      try {
        switch (name) {
          case "URI" -> builder.uri(value);
          case "NAMESPACE" -> builder.namespace(value);
          case "CURRENT_KEY" -> builder.currentKey(value.toUpperCase(Locale.ROOT));
          case "STORE_IN_CLEAR" -> builder.storeInClear(bool(value, name, describe));
          case "WHEN_UNAVAILABLE" ->
              builder.whenUnavailable(
                  switch (value.toLowerCase(Locale.ROOT)) {
                    case "fail-closed", "fail_closed" ->
                        RedisTokenStore.WhenUnavailable.FAIL_CLOSED;
                    case "local-only", "local_only" -> RedisTokenStore.WhenUnavailable.LOCAL_ONLY;
                    default ->
                        throw new IllegalArgumentException(
                            describe.apply(name) + " must be fail-closed or local-only");
                  });
          case "TIMEOUT" -> builder.timeout(duration(value, name, describe));
          case "REFRESH_TOKEN_RETENTION" ->
              builder.refreshTokenRetention(duration(value, name, describe));
          default -> {
            if (key.matches()) {
              builder.encryptionKey(key.group(1), base64(value, name, describe));
            } else {
              unknown.add(describe.apply(name));
            }
          }
        }
      } catch (IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // Lettuce's URI errors may quote the URI (with its password): never passed on.
        throw new IllegalArgumentException(
            message.startsWith("mcprunner.")
                ? message
                : describe.apply(name)
                    + " is invalid"
                    + (name.equals("URI") ? "" : ": " + message));
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown));
    }
    if (!settings.containsKey("CURRENT_KEY")
        && settings.keySet().stream().filter(k -> KEY.matcher(k).matches()).count() > 1) {
      throw new IllegalArgumentException(
          describe.apply("CURRENT_KEY") + " must name the key new values are encrypted with");
    }
    if (!settings.containsKey("URI")) {
      throw new IllegalArgumentException(describe.apply("URI") + " is not set");
    }
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "token store: "
              + e.getMessage()
              + " (settings "
              + describe.apply("KEY_<ID>")
              + ", "
              + describe.apply("STORE_IN_CLEAR")
              + ")");
    }
  }

  private static boolean bool(String value, String name, UnaryOperator<String> describe) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(describe.apply(name) + " must be true or false");
  }

  private static byte[] base64(String value, String name, UnaryOperator<String> describe) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe.apply(name) + " must be base64");
    }
  }

  private static Duration duration(String value, String name, UnaryOperator<String> describe) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          describe.apply(name) + " must be a duration such as 500ms, 2s, 5m, 12h or 30d");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofMillis(n);
    };
  }
}
