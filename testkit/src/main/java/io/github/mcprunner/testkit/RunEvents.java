package io.github.mcprunner.testkit;

import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Collects the events of a streamed run, for tests that assert on them. */
public final class RunEvents {
  private RunEvents() {}

  /**
   * Subscribes to {@code stream} and returns every event it published, once the run ended (with a
   * result or a failure, which the caller asserts on itself), waiting at most {@code wait} for
   * each.
   */
  public static List<RunEvent> of(RunStream stream, Duration wait) throws Exception {
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    stream.subscribe(
        new Flow.Subscriber<RunEvent>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(RunEvent item) {
            events.add(item);
          }

          @Override
          public void onError(Throwable throwable) {
            done.complete(null);
          }

          @Override
          public void onComplete() {
            done.complete(null);
          }
        });
    try {
      stream.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException expected) {
      // The caller asserts on the failure itself.
    }
    done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    return events;
  }
}
