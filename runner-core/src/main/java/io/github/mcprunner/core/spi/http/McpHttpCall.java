package io.github.mcprunner.core.spi.http;

import java.io.IOException;

/** One HTTP request, sent once by {@link #execute()}; cancellable from any thread. */
public interface McpHttpCall {

  /**
   * Sends the request and returns once the response's status and headers arrived; blocks the
   * calling thread (the transport calls it on its executor). The caller closes the response.
   *
   * @throws IOException when the request could not be sent or the response not read, or the call
   *     was cancelled
   */
  McpHttpResponse execute() throws IOException;

  /**
   * Cancels the call: an {@link #execute()} in progress or a read of the response body blocked on
   * the network ends with an {@link IOException}. Idempotent.
   */
  void cancel();
}
