package io.github.mcprunner;

import org.jspecify.annotations.Nullable;

/**
 * Base type of the failures of a run: a header provider that failed, an MCP server that could not
 * be reached or refused a request, a model error, too many turns. Messages name what failed and
 * where, and never contain a header value, token or other secret.
 */
public class McpRunnerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with {@code message}. */
  public McpRunnerException(String message) {
    super(message);
  }

  /** Creates the exception with {@code message} and {@code cause} (null if none or unknown). */
  public McpRunnerException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
