package io.github.mcprunner;

import java.util.List;

/**
 * One run's view of an {@link McpToolbox}: lists and calls the servers' tools with this run's
 * headers, identity and session. Use it for one request or one conversation turn of one user, then
 * close it.
 *
 * <p>Thread-safe; calls through one run are made one after another. Cancelling the run's {@link
 * RunCancellation} stops a call in flight and fails later ones with {@link RunCancelledException}.
 */
public interface ToolboxRun extends AutoCloseable {

  /** Returns the run's id, as header providers and observers see it. */
  String runId();

  /**
   * Returns the tools of every server of the toolbox for this run (after each server's tool
   * filter), listed on first use ({@code tools/list} with this run's headers) and kept for the run.
   *
   * @throws ToolConflictException if two servers offer a tool of the same name
   * @throws McpRunnerException (or a subtype) if a server could not be reached or refused
   */
  List<McpTool> tools();

  /**
   * Calls tool {@code toolName} with {@code argumentsJson} (a JSON object, sent as given; blank
   * means no arguments) on the server that offers it, with this run's headers and session. A
   * failure the model should see (the tool reported an error, the server rejected the call, the
   * tool is unknown, the arguments are not a JSON object) is an {@linkplain ToolOutcome#error()
   * error outcome}; a failure to reach the server is thrown.
   *
   * @throws McpRunnerException (or a subtype) if a server could not be reached or refused the run,
   *     or the run was cancelled
   */
  ToolOutcome call(String toolName, String argumentsJson);

  /**
   * Ends the run: lets go of the sessions it used (a per-run session is closed); ends nothing
   * shared. Idempotent.
   */
  @Override
  void close();
}
