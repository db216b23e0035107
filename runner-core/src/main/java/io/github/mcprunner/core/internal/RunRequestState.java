package io.github.mcprunner.core.internal;

import io.github.mcprunner.RunCancelledException;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Map;

/**
 * What one run hands to the transports through the MCP SDK's {@link McpTransportContext}: its
 * {@link RunScope}, whether it was cancelled, and the last headers resolved per server (so that a
 * 401 can be reported to the providers that contributed). One instance per run, never shared
 * between runs, never stored in a thread-local. Not public API.
 */
public final class RunRequestState {

  /** The key under which the state travels in the {@link McpTransportContext}. */
  public static final String CONTEXT_KEY = "io.github.mcprunner.run";

  private final RunScope scope;
  private final McpTransportContext transportContext;
  private volatile boolean cancelled;

  public RunRequestState(RunScope scope) {
    this.scope = scope;
    this.transportContext = McpTransportContext.create(Map.of(CONTEXT_KEY, this));
  }

  /** Returns the state carried by {@code context}, or null for a context of no run. */
  public static @org.jspecify.annotations.Nullable RunRequestState from(
      McpTransportContext context) {
    Object value = context.get(CONTEXT_KEY);
    return value instanceof RunRequestState ? (RunRequestState) value : null;
  }

  public RunScope scope() {
    return scope;
  }

  /** Returns the transport context to write into every Reactor call of this run. */
  public McpTransportContext transportContext() {
    return transportContext;
  }

  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /** Throws when the run was cancelled: nothing more may be sent for it. */
  public void checkNotCancelled() {
    if (cancelled) {
      throw new RunCancelledException(scope.runId());
    }
  }

}
