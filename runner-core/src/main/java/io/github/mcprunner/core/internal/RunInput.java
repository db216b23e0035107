package io.github.mcprunner.core.internal;

import io.github.mcprunner.InputHandler;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.RunEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One run's side of elicitation: its input handler (its own or the runner's), the bound on each
 * wait, the questions waiting for an answer (answered {@code cancel} when the run is cancelled),
 * the events it publishes, and the failure a question left for the run to report. Thread-safe. Not
 * public API.
 */
public final class RunInput {
  private final @Nullable InputHandler handler;
  private final Duration timeout;
  private final boolean declares;
  private final Set<CompletableFuture<InputResponse>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
  private volatile Consumer<RunEvent> events = event -> {};
  private volatile boolean cancelled;

  private RunInput(@Nullable InputHandler handler, Duration timeout, boolean declares) {
    this.handler = handler;
    this.timeout = timeout;
    this.declares = declares;
  }

  /** Returns the input side of a run without a handler: every question is declined. */
  public static RunInput none() {
    // One per run, never shared: it holds the run's cancellation and failure.
    return new RunInput(null, InputHandler.DEFAULT_TIMEOUT, false);
  }

  /** Returns the input side of a run answered by {@code handler} within {@code timeout}. */
  public static RunInput of(@Nullable InputHandler handler, Duration timeout) {
    return handler == null ? none() : new RunInput(handler, timeout, true);
  }

  /**
   * Returns the input side of a shared session's own scope: it declares the capability when {@code
   * declares}, but answers nothing itself (questions reach the runs they belong to).
   */
  static RunInput sessionOnly(boolean declares) {
    return new RunInput(null, InputHandler.DEFAULT_TIMEOUT, declares);
  }

  /**
   * Returns whether a client opened for this run declares the elicitation capability (form and
   * URL): the session era at initialize, the stateless era in each request's capabilities.
   */
  public boolean declaresCapability() {
    return declares;
  }

  /** Returns whether questions reach a handler (else they are declined). */
  public boolean hasHandler() {
    return handler != null;
  }

  /** Sends the run's input events to {@code sink} (the run's event stream). */
  void publishTo(Consumer<RunEvent> sink) {
    this.events = sink;
  }

  /**
   * Publishes another event of the run's MCP side to the same sink as the input events (a stateless
   * request re-issued); nowhere when the run has no event stream.
   */
  void publish(RunEvent event) {
    events.accept(event);
  }

  /**
   * Asks the handler {@code request}; the stage always completes normally: with the handler's
   * answer, or {@code cancel} after the timeout, a failure of the handler (kept for {@link
   * #takeFailure()}) or the run's cancellation.
   */
  CompletableFuture<InputResponse> ask(InputRequest request) {
    InputHandler current = handler;
    if (current == null) {
      return CompletableFuture.completedFuture(InputResponse.decline());
    }
    if (cancelled) {
      return CompletableFuture.completedFuture(InputResponse.cancel());
    }
    CompletableFuture<InputResponse> answer = new CompletableFuture<>();
    AtomicBoolean requested = new AtomicBoolean();
    // Reported as soon as the answer is known, on the thread that completes it, before the handler
    // is even called: a run cancelled while its handler takes the question (cancelPending completes
    // the answer on the cancelling thread, before the run wakes up and fails) reports the question
    // and its cancel before it reports its failure, after which its events are closed.
    CompletableFuture<InputResponse> reported =
        answer.whenComplete(
            (response, error) -> {
              if (requested.compareAndSet(false, true)) {
                events.accept(new RunEvent.InputRequested(request.runId(), request));
              }
              events.accept(
                  new RunEvent.InputAnswered(
                      request.runId(), request.serverName(), response.action()));
            });
    pending.add(answer);
    CompletionStage<InputResponse> stage = null;
    RuntimeException thrown = null;
    try {
      stage = current.requestInput(request);
    } catch (RuntimeException e) {
      thrown = e;
    }
    // Published once the handler has the question, so a listener of the run's events finds it
    // wherever the handler keeps its questions (unless the run was cancelled meanwhile: then the
    // cancel answer reported it already).
    if (requested.compareAndSet(false, true)) {
      events.accept(new RunEvent.InputRequested(request.runId(), request));
    }
    if (cancelled) {
      answer.complete(InputResponse.cancel());
    }
    if (thrown != null) {
      fail(request, thrown, answer);
    } else if (stage == null) {
      fail(request, new NullPointerException("the input handler returned null"), answer);
    } else {
      stage.whenComplete(
          (response, error) -> {
            if (error != null) {
              fail(request, error, answer);
            } else if (response == null) {
              fail(request, new NullPointerException("the answer was null"), answer);
            } else {
              answer.complete(response);
            }
          });
    }
    answer.completeOnTimeout(InputResponse.cancel(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletionStage<InputResponse> handed = stage;
    return reported.whenComplete(
        (response, error) -> {
          pending.remove(answer);
          if (handed != null && !handed.toCompletableFuture().isDone()) {
            // Tell the handler the question is moot (timeout, cancelled run), where it can hear.
            try {
              handed.toCompletableFuture().cancel(false);
            } catch (UnsupportedOperationException ignored) {
              // A stage that cannot be turned into a future: it is simply no longer awaited.
            }
          }
        });
  }

  private void fail(
      InputRequest request, Throwable error, CompletableFuture<InputResponse> answer) {
    if (answer.isDone()) {
      // Already answered (timeout, cancelled run): the runner cancelled the handler's stage itself.
      return;
    }
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    failure.compareAndSet(
        null,
        new McpRunnerException(
            "The input handler of run "
                + request.runId()
                + " failed on a question of MCP server '"
                + request.serverName()
                + "' ("
                + cause.getClass().getSimpleName()
                + "); the server was told 'cancel'",
            cause));
    answer.complete(InputResponse.cancel());
  }

  /** Records a failure the run reports after its current call (a refused question). */
  void failRun(RuntimeException error) {
    failure.compareAndSet(null, error);
  }

  /** Returns and clears the failure a question left, if any. */
  @Nullable RuntimeException takeFailure() {
    return failure.getAndSet(null);
  }

  /** Answers every waiting question {@code cancel}: the run was cancelled. */
  void cancelPending() {
    cancelled = true;
    for (CompletableFuture<InputResponse> answer : pending) {
      answer.complete(InputResponse.cancel());
    }
  }
}
