package io.github.mcprunner.headers;

import io.github.mcprunner.headers.HeaderArbitraries.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The precedence rule written the obvious way, to check {@link McpHeaders} against: one list of
 * slots keyed by the lower-cased name; every set or removal, layer after layer, replaces the slot's
 * spelling and value (a removal empties it) and keeps its position, or appends a new slot.
 */
final class ReferenceMerge {

  private ReferenceMerge() {}

  /** Returns {@code Name=value} for every header left set after all {@code layers}, in order. */
  static List<String> of(List<List<Op>> layers) {
    List<String> keys = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (List<Op> layer : layers) {
      for (Op op : layer) {
        String key = op.name().toLowerCase(Locale.ROOT);
        int at = keys.indexOf(key);
        if (at < 0) {
          keys.add(key);
          names.add(op.name());
          values.add(op.value());
        } else {
          names.set(at, op.name());
          values.set(at, op.value());
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i) != null) {
        out.add(names.get(i) + "=" + values.get(i));
      }
    }
    return out;
  }
}
