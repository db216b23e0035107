package io.github.mcprunner;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets the caller stop a run: after {@link #cancel()} the run sends no further MCP request and no
 * further model request, and fails with {@link RunCancelledException}. Thread-safe; one
 * cancellation may serve several runs.
 *
 * <pre>{@code
 * RunCancellation cancellation = new RunCancellation();
 * executor.submit(
 *     () -> runner.run(agent, input, RunOptions.builder().cancellation(cancellation).build()));
 * cancellation.cancel();
 * }</pre>
 */
public final class RunCancellation {
  private final List<Runnable> listeners = new ArrayList<>();
  private boolean cancelled;

  /** Creates a cancellation that is not cancelled. */
  public RunCancellation() {}

  /** Cancels; idempotent. Listeners run once, on this thread. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(listeners);
      listeners.clear();
    }
    for (Runnable listener : toRun) {
      listener.run();
    }
  }

  /** Returns whether {@link #cancel()} was called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Runs {@code listener} when cancelled (at once if already cancelled). For runner
   * implementations.
   *
   * @return a handle whose {@code run()} unregisters the listener
   */
  public Runnable onCancel(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        listeners.add(listener);
        return () -> {
          synchronized (this) {
            listeners.remove(listener);
          }
        };
      }
    }
    listener.run();
    return () -> {};
  }
}
