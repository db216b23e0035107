package io.github.mcprunner;

/** A run reached its bound on model turns without a final answer. */
public class MaxTurnsExceededException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  private final int maxTurns;

  /** Creates the exception for agent {@code agentName} and bound {@code maxTurns}. */
  public MaxTurnsExceededException(String agentName, int maxTurns) {
    super(
        "Run of agent '"
            + agentName
            + "' reached its bound of "
            + maxTurns
            + " model turns without a final answer; raise Agent.Builder.maxTurns or"
            + " RunOptions.Builder.maxTurns if the task needs more");
    this.maxTurns = maxTurns;
  }

  /** Returns the bound that was reached. */
  public int maxTurns() {
    return maxTurns;
  }
}
