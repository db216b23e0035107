package io.github.mcprunner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A run in progress that reports {@link RunEvent}s as it goes: {@code RunStarted}, then text
 * deltas, tool calls and messages, then {@code RunFinished} or {@code RunFailed}.
 *
 * <p>Each subscriber receives the events published after it subscribed; subscribe before the first
 * model turn by subscribing right away (the run starts on the runner's executor). {@link #result()}
 * completes with the same outcome.
 *
 * <pre>{@code
 * RunStream stream = runner.runStreamed(agent, "Summarise", McpHeaders.of("X-Tenant-Id", "t1"));
 * stream.subscribe(new Flow.Subscriber<>() { ... });
 * RunResult result = stream.result().join();
 * }</pre>
 */
public interface RunStream extends Flow.Publisher<RunEvent> {

  /** Returns the run's id. */
  String runId();

  /** Returns the run's outcome; completes exceptionally with the run's failure. */
  CompletableFuture<RunResult> result();

  /**
   * Stops the run: no further model or MCP request is sent, and the run fails with {@link
   * RunCancelledException}. Idempotent.
   */
  void cancel();
}
