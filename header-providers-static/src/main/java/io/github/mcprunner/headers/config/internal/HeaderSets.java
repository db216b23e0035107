package io.github.mcprunner.headers.config.internal;

import static java.util.Objects.requireNonNullElse;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.HeaderConfigException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Collects configured headers into named sets (a server, a URI prefix, a tenant), validating each
 * like every header of the precedence chain and refusing a header set twice in one set. Errors name
 * where the header was configured, never its value. Not thread-safe. Not public API.
 *
 * @param <K> the type of the set names
 */
public final class HeaderSets<K> {
  /** The longest header value accepted, in characters (HTTP servers refuse longer header lines). */
  public static final int MAX_VALUE_LENGTH = 8192;

  private record Added(String name, String value, boolean secret, String where) {}

  private final Map<K, Map<String, Added>> sets = new LinkedHashMap<>();

  /**
   * Adds header {@code name} with the resolved {@code value} to set {@code set}; a value that came
   * from a reference is marked secret.
   *
   * @param where names the configuration entry in errors (file and line and key, or variable)
   * @throws HeaderConfigException if the header is invalid, protected, too long, or already in the
   *     set
   */
  public void add(K set, String name, ValueResolver.Resolved resolved, String where) {
    String value = resolved.text();
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new HeaderConfigException(
          where
              + ": the value of header "
              + SafeText.quote(name)
              + " is longer than "
              + MAX_VALUE_LENGTH
              + " characters");
    }
    try {
      McpHeaders.validate(name, value, where);
      if (McpHeaders.isProtected(name)) {
        throw new InvalidMcpHeaderException(
            name, where, "is a protocol header that only the transport may set");
      }
    } catch (InvalidMcpHeaderException e) {
      throw new HeaderConfigException(requireNonNullElse(e.getMessage(), "invalid header"), e);
    }
    Map<String, Added> headers = sets.computeIfAbsent(set, k -> new LinkedHashMap<>());
    Added earlier =
        headers.putIfAbsent(
            name.toLowerCase(Locale.ROOT), new Added(name, value, resolved.secret(), where));
    if (earlier != null) {
      throw new HeaderConfigException(
          where + ": header " + SafeText.quote(name) + " is already set by " + earlier.where());
    }
  }

  /** Returns every set, in the order first added. */
  public Map<K, McpHeaders> build() {
    Map<K, McpHeaders> result = new LinkedHashMap<>();
    sets.forEach((set, headers) -> result.put(set, toHeaders(headers)));
    return result;
  }

  /** Returns set {@code set}, empty if nothing was added to it. */
  public McpHeaders get(K set) {
    Map<String, Added> headers = sets.get(set);
    return headers == null ? McpHeaders.empty() : toHeaders(headers);
  }

  private static McpHeaders toHeaders(Map<String, Added> headers) {
    McpHeaders.Builder builder = McpHeaders.builder();
    for (Added added : headers.values()) {
      if (added.secret()) {
        builder.setSecret(added.name(), added.value());
      } else {
        builder.set(added.name(), added.value());
      }
    }
    return builder.build();
  }
}
