package io.github.mcprunner.core.internal.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Where the Streamable HTTP transport's waits come from: the server's {@code retry} before a
 * resumption, the back-off of the event stream, the deadline of an exchange. Injected, so that a
 * test can run them on a fake clock; nothing sleeps. Not public API.
 */
@FunctionalInterface
interface Delays {

  /**
   * Runs {@code task} once {@code delay} has passed, on a thread of the implementation's choice
   * (the task hands the work to the transport's executor); returns an action that cancels it.
   */
  Runnable schedule(Duration delay, Runnable task);

  /**
   * The JDK's shared delay scheduler: it only hands tasks over, so no thread waits. Cancelling lets
   * go of the task at once (the scheduler keeps its entry until the delay passes, and a task
   * reaches the transport and its HTTP client, which must not stay reachable after close).
   */
  Delays SYSTEM =
      (delay, task) -> {
        AtomicReference<@Nullable Runnable> pending = new AtomicReference<>(task);
        CompletableFuture.delayedExecutor(
                Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS, Runnable::run)
            .execute(
                () -> {
                  Runnable due = pending.getAndSet(null);
                  if (due != null) {
                    due.run();
                  }
                });
        return () -> pending.set(null);
      };
}
