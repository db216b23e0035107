package io.github.mcprunner.core.spi.http;

/**
 * The HTTP client a transport module lends to the Streamable HTTP transport: one per MCP session,
 * created with the session's {@link io.github.mcprunner.core.spi.TransportSettings}.
 *
 * <p>An implementation sends each request as given: the protocol headers, then the resolved headers
 * of {@link McpHttpRequest#headers()} (already final: it resolves nothing itself), each name once;
 * it never follows redirects, and applies the settings' connect timeout, and the request timeout to
 * every request but event streams ({@link McpHttpRequest#eventStream()}). It may leave a POST's
 * timeout to the runner, which ends every POST exchange at the request timeout by cancelling its
 * call ({@link McpHttpCall#cancel()}). Thread-safe.
 */
public interface McpHttpClient {

  /** Returns a call that sends {@code request} when executed; nothing is sent before. */
  McpHttpCall newCall(McpHttpRequest request);

  /**
   * Returns what the runner should see for a failure of this client: a read timeout as a {@link
   * java.util.concurrent.TimeoutException} or {@link java.net.http.HttpTimeoutException}, a connect
   * timeout as a {@link java.net.ConnectException} or {@link
   * java.net.http.HttpConnectTimeoutException}; anything else unchanged. The default returns {@code
   * error}.
   */
  default Throwable mapFailure(Throwable error) {
    return error;
  }
}
