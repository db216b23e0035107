package io.github.mcprunner.core.spi;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.spec.McpTransportException;

/**
 * Raised by a transport when the response headers of an MCP server could not be read: they exceed
 * the HTTP client's limit, or the connection broke while the client read them. The runner fails the
 * run with an {@code McpServerException} naming the server, its URL, the method and this reason.
 *
 * <p>It never carries the HTTP client's exception: such exceptions may quote the header bytes
 * received (OkHttp prints them in hex), and headers may hold secrets.
 */
public class ResponseHeadersException extends McpTransportException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * Creates the exception.
   *
   * @param reason what happened, without any header name, value or byte
   */
  public ResponseHeadersException(String reason) {
    super(requireNonNull(reason, "reason"));
    this.reason = reason;
  }

  /** Returns the exception for response headers larger than the HTTP client accepts. */
  public static ResponseHeadersException tooLarge() {
    return new ResponseHeadersException("its response headers exceed the HTTP client's limit");
  }

  /**
   * Returns the exception for a connection that broke while the client read the response headers,
   * as the JDK client reports headers past its limit when the server resets the connection.
   */
  public static ResponseHeadersException brokenWhileReading() {
    return new ResponseHeadersException(
        "the connection broke while its response headers were read"
            + " (they may exceed the HTTP client's limit)");
  }

  /** Returns what happened, without any header name, value or byte. */
  public String reason() {
    return reason;
  }
}
