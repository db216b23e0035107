package io.github.mcprunner;

/**
 * The MCP half of mcp-runner without the agent loop: the tools of a set of MCP servers, listed and
 * called for one run at a time, each run with its own headers, identity and session, through the
 * same header chain, session pools, 401 handling, timeouts and cancellation as an agent run. For
 * agent frameworks that keep their own loop and want per-user MCP headers.
 *
 * <pre>{@code
 * McpToolbox toolbox = runner.toolbox(agent);
 * try (ToolboxRun run = toolbox.open(RunOptions.builder().identity(userId)
 *     .mcpHeaders(McpHeaders.of("Authorization", "Bearer " + userToken)).build())) {
 *   List<McpTool> tools = run.tools();
 *   ToolOutcome outcome = run.call("list_tickets", "{\"status\":\"open\"}");
 * }
 * }</pre>
 *
 * <p>Obtained from {@link Runner#toolbox(Agent)} or {@link Runner#toolbox(String, java.util.List)};
 * sessions belong to the runner and are shared with its agent runs. Thread-safe: open as many runs
 * at once as you like.
 */
public interface McpToolbox extends AutoCloseable {

  /**
   * Opens a run: a view of the toolbox's tools for the run's identity, headers and context values
   * ({@link RunOptions}; its {@code maxTurns} is ignored). Nothing is sent until the run lists or
   * calls tools.
   *
   * @throws IllegalArgumentException if {@code options} has per-server headers for a server the
   *     toolbox does not have
   * @throws IllegalStateException if the toolbox or its runner is closed
   */
  ToolboxRun open(RunOptions options);

  /**
   * Closes the toolbox: later {@link #open(RunOptions)} calls fail. Closes no session: the runner
   * owns them and {@link Runner#close()} closes them.
   */
  @Override
  void close();
}
