package io.github.mcprunner;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server answered HTTP 401 (or 403) and a retry with freshly resolved headers did not help,
 * or no provider offered one.
 */
public class McpUnauthorizedException extends McpServerException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;

  /**
   * Creates the exception.
   *
   * @param serverName the server's name
   * @param serverUrl the server's URL
   * @param statusCode the HTTP status (401 or 403)
   * @param retried whether the request was retried once with fresh headers
   * @param cause the transport's failure, if any
   */
  public McpUnauthorizedException(
      String serverName,
      URI serverUrl,
      int statusCode,
      boolean retried,
      @Nullable Throwable cause) {
    super(
        serverName,
        serverUrl,
        "refused the request with HTTP "
            + statusCode
            + (retried
                ? " again after one retry with refreshed headers"
                : "; no header provider offered a retry")
            + "; check the credentials the run's headers or providers supply",
        cause);
    this.statusCode = statusCode;
  }

  /** Returns the HTTP status the server answered. */
  public int statusCode() {
    return statusCode;
  }
}
