package io.github.mcprunner.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request an {@link EmbeddedMcpServer} received, as it arrived: every request is recorded,
 * refused ones (401, injected failures, expired sessions) and GET/DELETE included.
 *
 * <p>The JSON-RPC fields are read from the body of a POST. For a JSON-RPC batch (a JSON array,
 * which the SDK server refuses) they describe the batch's first message.
 *
 * @param httpMethod the HTTP method, such as {@code POST}
 * @param path the request path, such as {@code /mcp}
 * @param query the query string without {@code ?}, or null
 * @param mcpMethod the JSON-RPC {@code method} of a POST body, or null for responses, GET and
 *     DELETE
 * @param toolName {@code params.name} of a {@code tools/call}, or null
 * @param jsonRpcId the JSON-RPC {@code id} as text (a number as its decimal digits), or null for
 *     notifications
 * @param headers every header, names spelled as received, in the order received
 * @param sessionId the {@code Mcp-Session-Id} request header; in SSE mode, the {@code sessionId}
 *     query parameter of the message endpoint; null when absent
 * @param status the HTTP status answered, known once the response is committed; {@code 0} before (a
 *     delayed request, a tool call in progress). For an event stream, the status it was opened
 *     with. In SSE mode the SDK answers a POST only after the message's response went out on the
 *     event stream, so a client may see the result before the status is recorded: wait for it with
 *     {@link EmbeddedMcpServer#awaitRequest}
 * @param body the body text of a POST, empty for other methods
 */
public record RecordedRequest(
    String httpMethod,
    String path,
    @Nullable String query,
    @Nullable String mcpMethod,
    @Nullable String toolName,
    @Nullable String jsonRpcId,
    Map<String, List<String>> headers,
    @Nullable String sessionId,
    int status,
    String body) {

  /** Copies the headers and checks that no required part is null. */
  public RecordedRequest {
    requireNonNull(httpMethod, "httpMethod");
    requireNonNull(path, "path");
    headers = HeaderMaps.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(body, "body");
  }

  /** Returns the first value of header {@code name} (case-insensitive), if present. */
  public Optional<String> header(String name) {
    return HeaderMaps.first(headers, requireNonNull(name, "name"));
  }

  /** Returns every value of header {@code name} (case-insensitive), in the order received. */
  public List<String> headerValues(String name) {
    return HeaderMaps.values(headers, requireNonNull(name, "name"));
  }

  /** Returns whether this is a {@code tools/call} of tool {@code name}. */
  public boolean isToolCall(String name) {
    return "tools/call".equals(mcpMethod) && requireNonNull(name, "name").equals(toolName);
  }

  /** Lists header names only, never values, and no body. */
  @Override
  public String toString() {
    return "RecordedRequest{"
        + httpMethod
        + " "
        + path
        + (mcpMethod == null ? "" : ", mcpMethod=" + mcpMethod)
        + (toolName == null ? "" : ", toolName=" + toolName)
        + ", status="
        + status
        + ", headers="
        + headers.keySet()
        + "}";
  }
}
