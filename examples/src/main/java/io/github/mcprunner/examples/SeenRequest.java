package io.github.mcprunner.examples;

import io.github.mcprunner.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as it reached the MCP server (the embedded server's own record) or the relay in
 * front of an external one.
 *
 * @param arrival its position among all requests received, from 1
 * @param httpMethod {@code POST}, {@code GET}, {@code DELETE}
 * @param mcpMethod the JSON-RPC method of a POST, or null
 * @param toolName the tool of a {@code tools/call}, or null
 * @param headers every header, looked up case-insensitively
 * @param sessionId the {@code Mcp-Session-Id} header, or null
 * @param status the HTTP status answered, 0 if unknown
 */
record SeenRequest(
    int arrival,
    String httpMethod,
    @Nullable String mcpMethod,
    @Nullable String toolName,
    Map<String, List<String>> headers,
    @Nullable String sessionId,
    int status) {

  SeenRequest {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), SeenRequest::concat));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  static SeenRequest of(int arrival, RecordedRequest request) {
    return new SeenRequest(
        arrival,
        request.httpMethod(),
        request.mcpMethod(),
        request.toolName(),
        request.headers(),
        request.sessionId(),
        request.status());
  }

  /** Returns every value of header {@code name}, in the order received; empty when absent. */
  List<String> values(String name) {
    List<String> values = headers.get(name);
    return values == null ? List.of() : values;
  }

  /**
   * Returns e.g. {@code POST tools/call list_tickets}, {@code GET (event stream)}, {@code DELETE}.
   */
  String describe() {
    if (mcpMethod != null) {
      return httpMethod + " " + mcpMethod + (toolName != null ? " " + toolName : "");
    }
    return switch (httpMethod) {
      case "GET" -> "GET (event stream)";
      case "DELETE" -> "DELETE (end session)";
      case "POST" -> "POST (response)";
      default -> httpMethod;
    };
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** Lists header names only, never values. */
  @Override
  public String toString() {
    return "SeenRequest{#" + arrival + " " + describe() + ", headers=" + headers.keySet() + "}";
  }
}
