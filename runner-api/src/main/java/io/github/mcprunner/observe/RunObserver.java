package io.github.mcprunner.observe;

import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.Optional;

/**
 * Observes runs: an observer of OpenTelemetry traces and metrics, a log of slow tool calls, a
 * test's recorder.
 *
 * <p>Observers are found with {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/io.github.mcprunner.observe.RunObserver}, e.g. with
 * {@code @AutoService(RunObserver.class)}) or set on the runner builder ({@code
 * Runners.builder().observer(...)}). Without any observer the runner skips every observation
 * without allocating anything for it.
 *
 * <p><b>What is observed.</b> {@link #runStarted(RunStart)} returns the run's {@link
 * RunObservation}, which is told of the run's model turns, its MCP requests and its end; {@link
 * #sessionOpened(McpSessionStart)} is told of each MCP session the runner opens, whichever run
 * opened it. Observations hold names, ids, methods, statuses and error codes, never a header value,
 * a context value, tool arguments or a tool's output.
 *
 * <p><b>Trace context.</b> An observer propagates its trace context in two ways: {@link
 * McpRequestObservation#meta()} entries go into the request's {@code params._meta}, and the header
 * provider of {@link #headerProvider()} adds HTTP headers through the precedence chain, as any
 * provider does (layer 3): a per-run layer (4 or 5) can still remove what it sets, for instance
 * {@code McpHeaders.builder().remove("traceparent")}.
 *
 * <p><b>Threading and failure.</b> Methods are called concurrently for different runs, from the
 * run's thread or from the transport's threads; implementations must be thread-safe, cheap and must
 * not block. An exception thrown by an observer is caught and logged (class name only) and never
 * fails a run.
 */
public interface RunObserver {

  /**
   * Called when a run starts, on the run's thread.
   *
   * @param run what is known of the run
   * @return the run's observation, told of everything else the run does; never null ({@link
   *     RunObservation#NOOP} to ignore the run)
   */
  RunObservation runStarted(RunStart run);

  /**
   * Called when an MCP session was opened (its {@code initialize} answered).
   *
   * @param session what is known of the session
   * @return the session's observation, told when the session closes; never null. Defaults to {@link
   *     McpSessionObservation#NOOP}
   */
  default McpSessionObservation sessionOpened(McpSessionStart session) {
    return McpSessionObservation.NOOP;
  }

  /**
   * Returns the header provider that puts this observer's trace context on every HTTP request to an
   * MCP server, if it has one. The runner adds it to the chain's providers (layer 3) under its own
   * {@code name()} and {@code order()}. Called once, when the runner is built. Defaults to none.
   */
  default Optional<McpHeaderProvider> headerProvider() {
    return Optional.empty();
  }
}
