package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.modelcontextprotocol.spec.McpError;

/**
 * A JSON-RPC error answering a tool call: reported to the model as a tool error ({@link
 * #toolMessage()}), not a failure of the run. Not public API.
 */
final class JsonRpcFailure extends McpServerException {
  private static final long serialVersionUID = 1L;

  private final String toolMessage;

  JsonRpcFailure(McpServerSpec server, String what, McpError error) {
    super(server.name(), server.uri(), "answered " + what + " with a JSON-RPC error", null);
    String message = error.getJsonRpcError() != null ? error.getJsonRpcError().message() : null;
    this.toolMessage =
        "MCP server '"
            + server.name()
            + "' refused the call"
            + (message == null || message.isBlank() ? "" : ": " + message);
  }

  /** Returns what the model is told: the server refused the call, with its message. */
  String toolMessage() {
    return toolMessage;
  }
}
