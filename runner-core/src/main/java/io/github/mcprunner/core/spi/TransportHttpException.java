package io.github.mcprunner.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Raised by a transport when an MCP server answered an HTTP request with an error status, so the
 * runner can tell 401/403 (retry once with fresh headers), 404 on a session (re-open it) and other
 * failures apart, whatever the HTTP client. The message holds the status and method, never a header
 * value or body.
 */
public class TransportHttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String httpMethod;
  private final @Nullable String wwwAuthenticate;

  /**
   * Creates the exception.
   *
   * @param statusCode the HTTP status
   * @param httpMethod the request's HTTP method
   * @param wwwAuthenticate the response's {@code WWW-Authenticate} header, if any (not printed)
   * @param cause the HTTP client's exception, if any
   */
  public TransportHttpException(
      int statusCode,
      String httpMethod,
      @Nullable String wwwAuthenticate,
      @Nullable Throwable cause) {
    super("HTTP " + statusCode + " in answer to " + httpMethod, cause);
    this.statusCode = statusCode;
    this.httpMethod = httpMethod;
    this.wwwAuthenticate = wwwAuthenticate;
  }

  /**
   * Returns the exception for an HTTP error status, the one mapping every transport uses: a 404 on
   * a request that carried a session id is a lost session ({@link SessionLostException}, the MCP
   * SDK's {@code McpTransportSessionNotFoundException}, caused by this exception); any other status
   * is this exception, with {@code WWW-Authenticate} kept for 401 and 403 only.
   *
   * @param statusCode the HTTP status
   * @param httpMethod the request's HTTP method
   * @param wwwAuthenticate the response's {@code WWW-Authenticate} header, if any
   * @param onSession whether the request carried an {@code Mcp-Session-Id}
   */
  public static RuntimeException forStatus(
      int statusCode, String httpMethod, @Nullable String wwwAuthenticate, boolean onSession) {
    TransportHttpException error =
        new TransportHttpException(
            statusCode,
            httpMethod,
            statusCode == 401 || statusCode == 403 ? wwwAuthenticate : null,
            null);
    if (statusCode == 404 && onSession) {
      return new SessionLostException("HTTP 404 in answer to " + httpMethod, error);
    }
    return error;
  }

  /** Returns the HTTP status. */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the request's HTTP method. */
  public String httpMethod() {
    return httpMethod;
  }

  /** Returns the response's {@code WWW-Authenticate} header, if any. */
  public @Nullable String wwwAuthenticate() {
    return wwwAuthenticate;
  }

  /** Returns whether the server refused the request's credentials (401 or 403). */
  public boolean isUnauthorized() {
    return statusCode == 401 || statusCode == 403;
  }
}
