package io.github.mcprunner.headers.config.internal;

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
  private record Added(String name, String value, String where) {}

  private final Map<K, Map<String, Added>> sets = new LinkedHashMap<>();

  /**
   * Adds header {@code name} with the resolved {@code value} to set {@code set}.
   *
   * @param where names the configuration entry in errors (file and line and key, or variable)
   * @throws HeaderConfigException if the header is invalid, protected, or already in the set
   */
  public void add(K set, String name, String value, String where) {
    try {
      McpHeaders.validate(name, value, where);
      if (McpHeaders.isProtected(name)) {
        throw new InvalidMcpHeaderException(
            name, where, "is a protocol header that only the transport may set");
      }
    } catch (InvalidMcpHeaderException e) {
      throw new HeaderConfigException(e.getMessage(), e);
    }
    Map<String, Added> headers = sets.computeIfAbsent(set, k -> new LinkedHashMap<>());
    Added earlier =
        headers.putIfAbsent(name.toLowerCase(Locale.ROOT), new Added(name, value, where));
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
    headers.values().forEach(added -> builder.set(added.name(), added.value()));
    return builder.build();
  }
}
