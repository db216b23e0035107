package io.github.mcprunner.core.internal.http;

import io.modelcontextprotocol.spec.McpTransportException;
import org.jspecify.annotations.Nullable;

/**
 * The server accepted a request but its response never arrived: the answer stream ended and could
 * not be resumed (refused, session gone, resumptions exhausted, nothing to resume from). The
 * request may have run on the server, so the runner must not send it again (a tool call would run
 * twice); the run fails with this problem. Not public API.
 */
public final class ResponseLostException extends McpTransportException {
  private static final long serialVersionUID = 1L;

  private final String problem;

  /**
   * @param problem what happened, as the rest of a sentence starting "MCP server 'x' at URL ..."
   *     (no header value)
   */
  ResponseLostException(String problem, @Nullable Throwable cause) {
    super(problem, cause);
    this.problem = problem;
  }

  /** Returns what happened, to follow "MCP server 'x' at URL". */
  public String problem() {
    return problem;
  }
}
