package io.github.mcprunner.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ToolHandler} knows of the HTTP request that carried a {@code tools/call}: its
 * headers (looked up case-insensitively), the MCP session id, and a way to send notifications on
 * the call's response stream.
 *
 * <p>Thread-safe. {@link #toString()} lists header names only, never values.
 */
public final class ToolRequest {

  private final Map<String, List<String>> headers;
  private final @Nullable String sessionId;
  private final CallNotifier notifier;

  ToolRequest(
      Map<String, List<String>> headers, @Nullable String sessionId, CallNotifier notifier) {
    this.headers = HeaderMaps.copyOf(headers);
    this.sessionId = sessionId;
    this.notifier = notifier;
  }

  /**
   * Returns a request with {@code headers} and {@code sessionId} whose notifications go nowhere;
   * for unit tests of a {@link ToolHandler}.
   */
  public static ToolRequest of(Map<String, List<String>> headers, @Nullable String sessionId) {
    return new ToolRequest(requireNonNull(headers, "headers"), sessionId, CallNotifier.NONE);
  }

  /** Returns the first value of header {@code name} (case-insensitive), if present. */
  public Optional<String> header(String name) {
    return HeaderMaps.first(headers, requireNonNull(name, "name"));
  }

  /** Returns every value of header {@code name} (case-insensitive), in the order received. */
  public List<String> headerValues(String name) {
    return HeaderMaps.values(headers, requireNonNull(name, "name"));
  }

  /** Returns all headers, with names spelled as received, in the order received. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns the MCP session id: the {@code Mcp-Session-Id} header in {@link
   * EmbeddedMcpServer.Mode#STATEFUL} mode, the {@code sessionId} query parameter of the message
   * endpoint in {@link EmbeddedMcpServer.Mode#SSE} mode, empty in {@link
   * EmbeddedMcpServer.Mode#STATELESS} mode.
   */
  public Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  /**
   * Sends a {@code notifications/message} (level info) to the client during the call: on the call's
   * SSE response stream in STATEFUL mode, on the session's stream in SSE mode; dropped in STATELESS
   * mode, whose responses are plain JSON.
   */
  public void log(String message) {
    notifier.log(requireNonNull(message, "message"));
  }

  /**
   * Sends a {@code notifications/progress} for this call, if the client asked for progress (its
   * request carried {@code _meta.progressToken}); dropped otherwise and in STATELESS mode.
   *
   * @return whether a notification was sent
   */
  public boolean progress(double progress, double total, String message) {
    return notifier.progress(progress, total, requireNonNull(message, "message"));
  }

  /**
   * Asks the client to fill in a form ({@code elicitation/create}, form mode) during the call and
   * waits for the answer (at most the server's request timeout, 60 s): on the call's SSE response
   * stream in STATEFUL mode, on the session's stream in SSE mode.
   *
   * @param message what the user is told
   * @param requestedSchemaJson the JSON schema of the form, as JSON text
   * @throws UnsupportedOperationException in STATELESS mode, or in a unit test's request
   * @throws RuntimeException what the SDK throws when the client answers with an error, does not
   *     support elicitation, or does not answer in time
   */
  public Elicited elicitForm(String message, String requestedSchemaJson) {
    Map<String, Object> request = new java.util.LinkedHashMap<>();
    request.put("mode", "form");
    request.put("message", requireNonNull(message, "message"));
    request.put("requestedSchema", requireNonNull(requestedSchemaJson, "requestedSchemaJson"));
    return notifier.elicit(request);
  }

  /**
   * Asks the client to open {@code url} ({@code elicitation/create}, URL mode) and waits for the
   * answer; as {@link #elicitForm}.
   */
  public Elicited elicitUrl(String message, String url, String elicitationId) {
    Map<String, Object> request = new java.util.LinkedHashMap<>();
    request.put("mode", "url");
    request.put("message", requireNonNull(message, "message"));
    request.put("url", requireNonNull(url, "url"));
    request.put("elicitationId", requireNonNull(elicitationId, "elicitationId"));
    return notifier.elicit(request);
  }

  /**
   * The client's answer to an elicitation, as the server received it.
   *
   * @param action {@code accept}, {@code decline} or {@code cancel}
   * @param content the form's content (empty unless accepted)
   */
  public record Elicited(String action, Map<String, Object> content) {
    /** Copies the content. */
    public Elicited {
      requireNonNull(action, "action");
      content = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(content));
    }
  }

  @Override
  public String toString() {
    return "ToolRequest{headers=" + headers.keySet() + ", sessionId=" + (sessionId != null) + "}";
  }
}
