package io.github.mcprunner.core.internal;

import io.github.mcprunner.core.internal.http.HeaderValues;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.ToolParamHeaderAnnotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code x-mcp-header} annotations of one tool (MCP 2026-07-28): which arguments a {@code
 * tools/call} mirrors into {@code Mcp-Param-{Name}} headers. The constraints (statically reachable
 * primitive properties, token names unique regardless of case, no {@code number}) are checked by
 * the MCP SDK's {@link ToolParamHeaderAnnotations}; a tool that breaks them is {@link #invalid()}
 * and must not be offered. Immutable. Not public API.
 */
final class ToolParamHeaders {
  static final ToolParamHeaders NONE = new ToolParamHeaders(List.of(), null);

  private static final String PREFIX = "Mcp-Param-";

  private final List<ToolParamHeaderAnnotations.Annotation> annotations;
  private final @Nullable String problem;

  private ToolParamHeaders(
      List<ToolParamHeaderAnnotations.Annotation> annotations, @Nullable String problem) {
    this.annotations = annotations;
    this.problem = problem;
  }

  /** Reads the annotations of {@code tool}. */
  static ToolParamHeaders of(McpSchema.Tool tool) {
    ToolParamHeaderAnnotations parsed = ToolParamHeaderAnnotations.parse(tool);
    if (!parsed.isValid()) {
      List<String> problems = new ArrayList<>();
      for (ToolParamHeaderAnnotations.InvalidAnnotation invalid : parsed.invalid()) {
        problems.add(invalid.describe());
      }
      return new ToolParamHeaders(List.of(), String.join("; ", problems));
    }
    return parsed.valid().isEmpty() ? NONE : new ToolParamHeaders(parsed.valid(), null);
  }

  /** Returns why the tool's annotations are invalid, or null when they are valid. */
  @Nullable String invalid() {
    return problem;
  }

  /**
   * Returns the {@code Mcp-Param-*} headers of a call with {@code arguments}, in annotation order:
   * the value at each annotated property's path, converted (strings as they are, integers in
   * decimal, booleans in lower case) and encoded with the Base64 sentinel where needed; a header is
   * left out when the value is absent or null.
   */
  Map<String, String> headersFor(Map<String, Object> arguments) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (ToolParamHeaderAnnotations.Annotation annotation : annotations) {
      Object value = valueAt(arguments, annotation.path());
      String text = text(value);
      if (text != null) {
        headers.put(PREFIX + annotation.name(), HeaderValues.encode(text));
      }
    }
    return headers;
  }

  private static @Nullable Object valueAt(Map<String, Object> arguments, List<String> path) {
    Object current = arguments;
    for (String key : path) {
      if (!(current instanceof Map<?, ?>)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(key);
    }
    return current;
  }

  private static @Nullable String text(@Nullable Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    if (value instanceof Boolean) {
      return ((Boolean) value) ? "true" : "false";
    }
    if (value instanceof Number) {
      Number number = (Number) value;
      double asDouble = number.doubleValue();
      if (number instanceof Double || number instanceof Float) {
        if (asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 0x1p53) {
          return Long.toString((long) asDouble);
        }
        return number.toString();
      }
      return number.toString();
    }
    // Absent, null, or not a primitive: no header (the server finds the mismatch, if any).
    return null;
  }
}
