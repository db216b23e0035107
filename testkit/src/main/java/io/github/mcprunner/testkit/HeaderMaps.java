package io.github.mcprunner.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Case-insensitive lookups over header maps that keep the names as received. */
final class HeaderMaps {

  private HeaderMaps() {}

  /** Returns an unmodifiable deep copy that keeps the order and spelling of the names. */
  static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }

  /** Returns every value of {@code name}, over all spellings of the name, in order. */
  static List<String> values(Map<String, List<String>> headers, String name) {
    List<String> values = new ArrayList<>();
    headers.forEach(
        (received, receivedValues) -> {
          if (received.equalsIgnoreCase(name)) {
            values.addAll(receivedValues);
          }
        });
    return List.copyOf(values);
  }

  /** Returns the first value of {@code name}, if any. */
  static Optional<String> first(Map<String, List<String>> headers, String name) {
    List<String> values = values(headers, name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
