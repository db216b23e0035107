package io.github.mcprunner.core.spi;

import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import org.jspecify.annotations.Nullable;

/**
 * The MCP server no longer knows the session: it answered a request that carried an {@code
 * Mcp-Session-Id} with HTTP 404, or (legacy SSE) the session's event stream ended. The MCP SDK's
 * {@link McpTransportSessionNotFoundException}, so that the SDK and the runner treat it as a lost
 * session, with a message that reads as one sentence (the SDK's own constructor wraps its argument
 * in {@code "Session ... not found on the server"}, meant for a session id the transports do not
 * print).
 */
public class SessionLostException extends McpTransportSessionNotFoundException {
  private static final long serialVersionUID = 1L;

  private final String message;

  /**
   * Creates the exception.
   *
   * @param reason how the loss showed, ending the message in parentheses, e.g. {@code "HTTP 404 in
   *     answer to POST"}
   * @param cause the HTTP failure, if any
   */
  public SessionLostException(String reason, @Nullable Exception cause) {
    super("", cause);
    this.message = "The MCP server no longer knows the session (" + reason + ")";
  }

  @Override
  public String getMessage() {
    return message;
  }
}
