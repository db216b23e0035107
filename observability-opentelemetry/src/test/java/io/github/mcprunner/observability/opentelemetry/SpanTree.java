package io.github.mcprunner.observability.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders exported spans as an indented tree, children in start order, ids and times left out. */
final class SpanTree {
  private SpanTree() {}

  static String render(List<SpanData> spans, List<String> attributeKeys) {
    StringBuilder out = new StringBuilder();
    List<SpanData> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    for (SpanData root : sorted) {
      boolean hasParent =
          sorted.stream().anyMatch(s -> s.getSpanId().equals(root.getParentSpanId()));
      if (!hasParent) {
        render(root, sorted, attributeKeys, 0, out);
      }
    }
    return out.toString();
  }

  private static void render(
      SpanData span, List<SpanData> all, List<String> keys, int depth, StringBuilder out) {
    out.append("  ".repeat(depth)).append(span.getName()).append(" [").append(span.getKind());
    if (span.getStatus().getStatusCode() != io.opentelemetry.api.trace.StatusCode.UNSET) {
      out.append(", ").append(span.getStatus().getStatusCode());
    }
    out.append(']');
    Map<String, Object> shown = new TreeMap<>();
    span.getAttributes()
        .forEach(
            (AttributeKey<?> key, Object value) -> {
              if (keys.contains(key.getKey())) {
                shown.put(key.getKey(), value);
              }
            });
    shown.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
    out.append('\n');
    for (SpanData child : all) {
      if (child.getParentSpanId().equals(span.getSpanId())
          && !SpanId.getInvalid().equals(span.getSpanId())) {
        render(child, all, keys, depth + 1, out);
      }
    }
  }
}
