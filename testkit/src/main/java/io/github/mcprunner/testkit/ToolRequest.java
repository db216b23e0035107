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

  @Override
  public String toString() {
    return "ToolRequest{headers=" + headers.keySet() + ", sessionId=" + (sessionId != null) + "}";
  }
}
