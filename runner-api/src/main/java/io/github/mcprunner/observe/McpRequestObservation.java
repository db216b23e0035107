package io.github.mcprunner.observe;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The observation of one MCP request (one JSON-RPC request and its response). {@link #meta()} is
 * read before the request is built; {@link #requestSent(String)} is called when the request leaves,
 * from a transport thread; then exactly one of {@link #requestSucceeded(boolean)} and {@link
 * #requestFailed(String, Integer)} is called, once.
 */
public interface McpRequestObservation {

  /** An observation that ignores everything. */
  McpRequestObservation NOOP =
      new McpRequestObservation() {
        @Override
        public void requestSucceeded(boolean toolError) {}

        @Override
        public void requestFailed(String errorType, @Nullable Integer jsonRpcErrorCode) {}
      };

  /**
   * Returns the entries to add to the request's {@code params._meta}, such as the W3C {@code
   * traceparent} and {@code tracestate} of the request's span. They never replace an entry the
   * request already has. Not every request can carry them: {@code initialize} is built by the MCP
   * SDK and carries none. Defaults to none.
   */
  default Map<String, String> meta() {
    return Map.of();
  }

  /**
   * Called when the request is handed to the transport, with its JSON-RPC {@code id} as text.
   * Defaults to nothing.
   */
  default void requestSent(String jsonRpcId) {}

  /**
   * Called when the server answered with a result.
   *
   * @param toolError whether the result is a {@code tools/call} result with {@code isError} set
   */
  void requestSucceeded(boolean toolError);

  /**
   * Called when the request failed.
   *
   * @param errorType a low-cardinality description of the failure: the JSON-RPC error code as text,
   *     the HTTP status as text, {@code timeout}, {@code cancelled}, or the exception's class name
   * @param jsonRpcErrorCode the JSON-RPC error code of the server's answer, or null when it did not
   *     answer with a JSON-RPC error
   */
  void requestFailed(String errorType, @Nullable Integer jsonRpcErrorCode);
}
