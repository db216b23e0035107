package io.github.mcprunner;

/** The run was cancelled; nothing further was sent after the cancellation. */
public class RunCancelledException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for run {@code runId}. */
  public RunCancelledException(String runId) {
    super("Run " + runId + " was cancelled");
  }
}
