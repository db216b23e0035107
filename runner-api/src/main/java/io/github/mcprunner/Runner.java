package io.github.mcprunner;

import io.github.mcprunner.headers.McpHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs agents. One runner serves many runs at once, for many users: MCP clients and sessions are
 * pooled inside it and reused across runs, while every run carries its own headers, resolved for
 * every HTTP request by the precedence chain (runner defaults &lt; server static headers &lt;
 * providers &lt; per-run headers &lt; per-run per-server headers).
 *
 * <pre>{@code
 * RunResult result = runner.run(agent, "Summarise my open tickets",
 *     McpHeaders.of("Authorization", "Bearer " + userToken, "X-User-Id", userId));
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes every pooled MCP session (HTTP DELETE).
 */
public interface Runner extends AutoCloseable {

  /** Runs {@code agent} on {@code input} with static headers and providers only. */
  default RunResult run(Agent agent, String input) {
    return run(agent, input, RunOptions.defaults());
  }

  /**
   * Runs {@code agent} on {@code input}, sending {@code mcpHeaders} to every MCP server on every
   * request of this run, over the lower layers.
   */
  default RunResult run(Agent agent, String input, McpHeaders mcpHeaders) {
    return run(agent, input, RunOptions.builder().mcpHeaders(mcpHeaders).build());
  }

  /**
   * Runs {@code agent} on {@code input} with {@code options}, on the calling thread.
   *
   * @throws McpRunnerException (or a subtype) when the run fails: a provider failed, a server could
   *     not be reached or refused a request, the model failed, the run took too many turns or was
   *     cancelled
   * @throws io.github.mcprunner.headers.InvalidMcpHeaderException before anything is sent, when a
   *     header is invalid
   */
  RunResult run(Agent agent, String input, RunOptions options);

  /** Runs asynchronously on the runner's executor; see {@link #run(Agent, String)}. */
  default CompletableFuture<RunResult> runAsync(Agent agent, String input) {
    return runAsync(agent, input, RunOptions.defaults());
  }

  /** Runs asynchronously; see {@link #run(Agent, String, McpHeaders)}. */
  default CompletableFuture<RunResult> runAsync(Agent agent, String input, McpHeaders mcpHeaders) {
    return runAsync(agent, input, RunOptions.builder().mcpHeaders(mcpHeaders).build());
  }

  /**
   * Runs asynchronously on the runner's executor; see {@link #run(Agent, String, RunOptions)}.
   * Cancelling the returned future cancels the run.
   */
  CompletableFuture<RunResult> runAsync(Agent agent, String input, RunOptions options);

  /** Runs with events; see {@link #run(Agent, String)}. */
  default RunStream runStreamed(Agent agent, String input) {
    return runStreamed(agent, input, RunOptions.defaults());
  }

  /** Runs with events; see {@link #run(Agent, String, McpHeaders)}. */
  default RunStream runStreamed(Agent agent, String input, McpHeaders mcpHeaders) {
    return runStreamed(agent, input, RunOptions.builder().mcpHeaders(mcpHeaders).build());
  }

  /**
   * Runs on the runner's executor, reporting events; see {@link #run(Agent, String, RunOptions)}.
   */
  RunStream runStreamed(Agent agent, String input, RunOptions options);

  /**
   * Returns the tools of {@code agent}'s MCP servers without its agent loop (its model and function
   * tools are not used); see {@link McpToolbox}.
   */
  default McpToolbox toolbox(Agent agent) {
    return toolbox(agent.name(), agent.mcpServers());
  }

  /**
   * Returns the tools of {@code servers} without an agent loop; see {@link McpToolbox}. {@code
   * name} stands where an agent's name would (header providers and observers see it).
   *
   * @throws IllegalArgumentException if {@code name} is blank or two servers have the same name
   */
  McpToolbox toolbox(String name, List<McpServerSpec> servers);

  /** Closes every pooled MCP session; runs started afterwards fail. */
  @Override
  void close();
}
