package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server refused a request of the stateless protocol (MCP 2026-07-28) for a protocol reason:
 * it does not support the protocol version, the request's headers did not match its body, or the
 * server does not speak that revision at all. The message names the server, its URL, the method and
 * the reason, never a header value.
 */
public class McpProtocolException extends McpServerException {
  private static final long serialVersionUID = 1L;

  /** Why the server refused the request. */
  public enum Reason {
    /** {@code UnsupportedProtocolVersion} (JSON-RPC error -32022): the server lists others. */
    UNSUPPORTED_PROTOCOL_VERSION,
    /** {@code HeaderMismatch} (JSON-RPC error -32020): a header did not match the body. */
    HEADER_MISMATCH,
    /** {@code MissingRequiredClientCapability} (JSON-RPC error -32021). */
    MISSING_CLIENT_CAPABILITY,
    /** The server answered a 2026-07-28 request as a server of an earlier revision would. */
    NOT_STATELESS
  }

  private final String mcpMethod;
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param serverName the server's name
   * @param serverUrl the server's URL
   * @param mcpMethod the JSON-RPC method the server refused
   * @param reason why
   * @param detail what else helps, e.g. the versions the server supports; never a header value
   * @param cause the underlying failure, if any
   */
  public McpProtocolException(
      String serverName,
      URI serverUrl,
      String mcpMethod,
      Reason reason,
      String detail,
      @Nullable Throwable cause) {
    super(
        serverName,
        serverUrl,
        "refused "
            + requireNonNull(mcpMethod, "mcpMethod")
            + " ("
            + requireNonNull(reason, "reason")
            + "): "
            + requireNonNull(detail, "detail"),
        cause);
    this.mcpMethod = mcpMethod;
    this.reason = reason;
  }

  /** Returns the JSON-RPC method the server refused. */
  public String mcpMethod() {
    return mcpMethod;
  }

  /** Returns why the server refused it. */
  public Reason reason() {
    return reason;
  }
}
