package io.github.mcprunner.core.spi;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.spec.McpTransportException;
import org.jspecify.annotations.Nullable;

/**
 * Raised by a transport when an MCP server accepted a request but its response was lost: the answer
 * stream broke or ended before the response and could not be resumed (a resumption refused with
 * 401, 403 or 404, too many resumptions, no event id to resume from), or the response could not be
 * read. The server may have run the request, so the runner never retries it (a second {@code
 * tools/call} could run a non-idempotent tool twice): the run fails with an {@code
 * McpServerException} naming the server, its URL and the method. The message names the server, the
 * method and what happened, never a header value or body.
 *
 * <p>It extends the MCP SDK's {@link McpTransportException} because it is raised inside the SDK's
 * transport contract ({@code McpClientTransport.sendMessage}), where the SDK client expects
 * transport failures of that type; the shared Streamable HTTP client raises it, so a transport
 * module built on {@code StreamableHttpTransports} never does.
 */
public class ResponseLostException extends McpTransportException {
  private static final long serialVersionUID = 1L;

  private final String mcpMethod;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param serverName the MCP server's name
   * @param mcpMethod the JSON-RPC method of the request whose response was lost
   * @param reason what happened, e.g. {@code "the resumption of its event stream was answered with
   *     HTTP 401"}; no header value or body
   * @param cause the failure that lost the response, if any
   */
  public ResponseLostException(
      String serverName, String mcpMethod, String reason, @Nullable Throwable cause) {
    super(
        "MCP server '"
            + requireNonNull(serverName, "serverName")
            + "' accepted "
            + requireNonNull(mcpMethod, "mcpMethod")
            + " but its response was lost ("
            + requireNonNull(reason, "reason")
            + "); the request may have run",
        cause);
    this.mcpMethod = mcpMethod;
    this.reason = reason;
  }

  /** Returns the JSON-RPC method of the request whose response was lost. */
  public String mcpMethod() {
    return mcpMethod;
  }

  /** Returns what happened to the response, without any header value or body. */
  public String reason() {
    return reason;
  }
}
