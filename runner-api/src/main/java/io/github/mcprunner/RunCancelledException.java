package io.github.mcprunner;

/** The run was cancelled; nothing further was sent after the cancellation. */
public class RunCancelledException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for run {@code runId}. */
  public RunCancelledException(String runId) {
    super("Run " + runId + " was cancelled");
  }

  /**
   * Creates the exception for run {@code runId}, cancelled for {@code reason}: {@code "Run r-1 was
   * cancelled: the runner was closed"}.
   */
  public RunCancelledException(String runId, String reason) {
    super("Run " + runId + " was cancelled: " + reason);
  }
}
