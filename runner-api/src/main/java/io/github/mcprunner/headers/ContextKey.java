package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

/**
 * A typed key for a run-context value ({@code RunOptions.context(key, value)}), read by header
 * providers through {@link HeaderContext#get(ContextKey)}.
 *
 * <p>Keys compare by identity: two keys made with the same name are different keys, so a provider
 * library declares its keys once as constants. Context values are never printed by {@code
 * toString()} of run options or contexts, since they may be credentials.
 *
 * <pre>{@code
 * public static final ContextKey<String> REGION = ContextKey.of("region", String.class);
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class ContextKey<T> {

  /**
   * The signed-in user's own token, for providers that exchange it (RFC 8693) for a token meant for
   * one MCP server. It is never sent to an MCP server as is.
   */
  public static final ContextKey<String> SUBJECT_TOKEN = of("subject_token", String.class);

  /** The id of the user the run acts for. */
  public static final ContextKey<String> USER_ID = of("user_id", String.class);

  /** The id of the tenant the run acts for. */
  public static final ContextKey<String> TENANT_ID = of("tenant_id", String.class);

  private final String name;
  private final Class<T> type;

  private ContextKey(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /** Returns a new key; values put under it must be instances of {@code type}. */
  public static <T> ContextKey<T> of(String name, Class<T> type) {
    return new ContextKey<>(requireNonNull(name, "name"), requireNonNull(type, "type"));
  }

  /** Returns the key's name, for messages. */
  public String name() {
    return name;
  }

  /** Returns the type of the values stored under this key. */
  public Class<T> type() {
    return type;
  }

  /** Returns {@code ContextKey(name)}. */
  @Override
  public String toString() {
    return "ContextKey(" + name + ")";
  }
}
