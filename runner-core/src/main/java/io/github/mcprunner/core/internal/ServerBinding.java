package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.SessionStrategy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One run's hold on one server's session: which pool key it uses, the session it holds, and how to
 * let go of it. Not thread-safe: used by its run only. Not public API.
 */
final class ServerBinding {
  private static final Duration PER_RUN_CLOSE_WAIT = Duration.ofSeconds(5);

  private final McpServerSpec server;
  private final SessionPool pool;
  private final String key;
  private final RunScope sessionScope;
  private final RunScope runScope;
  private @Nullable McpSession session;

  ServerBinding(McpServerSpec server, SessionPool pool, RunScope runScope) {
    this.server = server;
    this.pool = pool;
    this.runScope = runScope;
    this.key = Identities.key(server.sessionStrategy(), runScope, server.name());
    this.sessionScope =
        server.sessionStrategy() == SessionStrategy.SHARED
            ? RunScope.builder(runScope.agentName(), "")
                .input(RunInput.sessionOnly(runScope.input().declaresCapability()))
                .build()
            : runScope;
  }

  McpServerSpec server() {
    return server;
  }

  /** The scope whose headers open the session (initialize, GET stream, DELETE). */
  RunScope sessionScope() {
    return sessionScope;
  }

  /** Returns the session, acquiring it on first use with {@code await} to wait for opening. */
  McpSession session(Function<CompletableFuture<McpSession>, McpSession> await) {
    McpSession held = session;
    if (held != null) {
      return held;
    }
    boolean perRun = server.sessionStrategy() == SessionStrategy.PER_RUN;
    for (int attempt = 0; ; attempt++) {
      CompletableFuture<McpSession> opening =
          perRun ? pool.openUnpooled(key, sessionScope) : pool.session(key, sessionScope);
      McpSession candidate;
      try {
        candidate = await.apply(opening);
      } catch (RuntimeException | Error e) {
        if (perRun) {
          // The run stopped waiting (cancelled, interrupted, closed): no pool knows this session,
          // so when it finishes opening nobody would close it. Close it (DELETE) then.
          opening.thenAccept(opened -> opened.close().subscribe());
        } else if (attempt < 3 && !runScope.isCancelled() && cancelledRun(e)) {
          // Another run of this identity was opening the session and was cancelled meanwhile:
          // its cancellation is not this run's, so this run opens the session itself.
          continue;
        }
        throw e;
      }
      if (perRun || candidate.tryAcquire()) {
        if (perRun) {
          candidate.tryAcquire();
        } else if (server.sessionStrategy() == SessionStrategy.PER_IDENTITY) {
          // The latest run of this identity supplies the headers of the session's own requests.
          candidate.headers().updateSessionScope(runScope);
        }
        candidate.attach(runScope);
        session = candidate;
        return candidate;
      }
      if (attempt >= 3) {
        throw new IllegalStateException(
            "MCP session with server '" + server.name() + "' was retired repeatedly while opening");
      }
    }
  }

  private static boolean cancelledRun(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof RunCancelledException) {
        return true;
      }
    }
    return false;
  }

  /** Drops the held session (it expired at the server or broke); the next use opens a new one. */
  void replace() {
    McpSession held = session;
    session = null;
    if (held == null) {
      return;
    }
    held.detach(runScope);
    if (server.sessionStrategy() == SessionStrategy.PER_RUN) {
      held.release();
      held.close().subscribe();
    } else {
      pool.invalidate(held);
      held.release();
    }
  }

  /** Lets go of the session at the end of the run; a {@code PER_RUN} session is closed. */
  void release() {
    McpSession held = session;
    session = null;
    if (held == null) {
      return;
    }
    held.detach(runScope);
    held.release();
    if (server.sessionStrategy() == SessionStrategy.PER_RUN) {
      awaitClosed(held.close());
    } else {
      pool.touch(held);
    }
  }

  /**
   * Waits, at most {@link #PER_RUN_CLOSE_WAIT}, for a per-run session's DELETE. The close runs on
   * its own: a wait cut short (the run's thread was interrupted, which is how a caller's {@code
   * Future.cancel(true)} ends a run) neither cancels the DELETE nor fails the end of the run.
   */
  private static void awaitClosed(Mono<Void> closing) {
    CompletableFuture<Void> closed = closing.toFuture();
    try {
      closed.get(PER_RUN_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // McpSession.close() logs its own failure and completes; past the wait the DELETE goes on.
    }
  }
}
