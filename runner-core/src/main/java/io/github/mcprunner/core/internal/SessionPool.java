package io.github.mcprunner.core.internal;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The bounded pool of MCP sessions with one server, keyed by identity: at most one open session per
 * key (single-flight creation), idle sessions expire, the least valuable ones are evicted past the
 * bound, and an evicted session is closed (DELETE) once its last run lets go. A session never
 * changes key, so a session opened for one identity never serves another. Once closed, the pool
 * opens nothing and caches nothing: a session that finishes opening after {@link #closeAll()} is
 * closed (DELETE) at once. Not public API.
 */
final class SessionPool {

  private final McpServerSpec server;
  private final McpTransportFactory factory;
  private final HeaderChain chain;
  private final McpJsonMapper jsonMapper;
  private final AsyncCache<String, McpSession> sessions;
  private final ConcurrentHashMap<String, CompletableFuture<McpSession>> pending =
      new ConcurrentHashMap<>();
  // The handshakes in flight, for closeAll() to wait on.
  private final Set<CompletableFuture<McpSession>> handshakes = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final Observation observation;
  // Guarded by lock: no session enters the cache once closeAll() took its snapshot.
  private boolean closed;

  SessionPool(
      McpServerSpec server,
      McpTransportFactory factory,
      HeaderChain chain,
      McpJsonMapper jsonMapper,
      Ticker ticker,
      boolean systemScheduler,
      Observation observation) {
    this.observation = observation;
    this.server = server;
    this.factory = factory;
    this.chain = chain;
    this.jsonMapper = jsonMapper;
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .maximumSize(server.maxSessions())
            .expireAfterAccess(server.sessionIdleTimeout())
            .ticker(ticker)
            .executor(Runnable::run);
    if (systemScheduler) {
      builder.scheduler(Scheduler.systemScheduler());
    }
    this.sessions =
        builder
            .<String, McpSession>removalListener(
                (key, session, cause) -> {
                  if (session != null) {
                    session.retire();
                  }
                })
            .buildAsync();
  }

  McpServerSpec server() {
    return server;
  }

  /**
   * Returns the session for {@code key}, opening it (once, however many runs ask at the same time)
   * with {@code scope} as its own scope. The future fails when the session could not be opened; the
   * failure is not cached.
   */
  CompletableFuture<McpSession> session(String key, RunScope scope) {
    if (isClosed()) {
      return CompletableFuture.failedFuture(closedError());
    }
    CompletableFuture<McpSession> existing = sessions.getIfPresent(key);
    if (existing != null) {
      return existing;
    }
    // Sessions being opened wait here, not in the cache: Caffeine logs every failed future it
    // holds as a warning with its stack trace, and a session that fails to open (a 401 a provider
    // answers by fetching a token, a server that is down) is an outcome the run reports.
    CompletableFuture<McpSession> opening = new CompletableFuture<>();
    CompletableFuture<McpSession> raced = pending.putIfAbsent(key, opening);
    if (raced != null) {
      return raced;
    }
    existing = sessions.getIfPresent(key);
    if (existing != null) {
      // Another caller's session moved from pending to the cache in between.
      pending.remove(key, opening);
      existing.whenComplete(
          (session, error) -> {
            if (error != null) {
              opening.completeExceptionally(error);
            } else {
              opening.complete(session);
            }
          });
      return opening;
    }
    CompletableFuture<McpSession> opened;
    try {
      opened = McpSession.open(key, server, factory, chain, scope, jsonMapper, observation);
    } catch (RuntimeException e) {
      opened = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<McpSession> handshake = opened;
    handshakes.add(handshake);
    handshake.whenComplete(
        (session, error) -> {
          handshakes.remove(handshake);
          if (error != null) {
            pending.remove(key, opening);
            opening.completeExceptionally(error);
            return;
          }
          boolean kept;
          synchronized (lock) {
            kept = !closed;
            if (kept) {
              sessions.put(key, CompletableFuture.completedFuture(session));
            }
          }
          pending.remove(key, opening);
          if (kept) {
            opening.complete(session);
          } else {
            // Opened after closeAll(): not for any run, closed now.
            session.retire();
            opening.completeExceptionally(closedError());
          }
        });
    return opening;
  }

  /** Opens a session outside the pool (the {@code PER_RUN} strategy). */
  CompletableFuture<McpSession> openUnpooled(String key, RunScope scope) {
    return McpSession.open(key, server, factory, chain, scope, jsonMapper, observation);
  }

  /** Drops {@code session} from the pool (it expired at the server, or failed); it is closed. */
  void invalidate(McpSession session) {
    sessions.synchronous().asMap().remove(session.key(), session);
    session.retire();
  }

  /** Marks {@code session} as used now, so it does not expire while runs keep using it. */
  void touch(McpSession session) {
    // Read for its side effect only: a read renews the entry's expire-after-access time.
    var unused = sessions.getIfPresent(session.key());
  }

  /** Runs pending expiry and eviction now (tests with a manual ticker). */
  void cleanUp() {
    sessions.synchronous().cleanUp();
  }

  /** Returns the number of sessions in the pool. */
  long size() {
    return sessions.synchronous().estimatedSize();
  }

  /**
   * Closes the pool: every session in it, and every session still opening once its handshake ends;
   * the returned Mono completes when their DELETEs are done (the caller bounds the wait).
   */
  Mono<Void> closeAll() {
    List<McpSession> open;
    synchronized (lock) {
      closed = true;
      open = new ArrayList<>(sessions.synchronous().asMap().values());
    }
    sessions.synchronous().invalidateAll();
    List<Mono<Void>> closes = new ArrayList<>();
    for (McpSession session : open) {
      closes.add(session.close());
    }
    for (CompletableFuture<McpSession> handshake : List.copyOf(handshakes)) {
      closes.add(
          Mono.fromFuture(handshake.handle((session, error) -> session), false)
              .flatMap(McpSession::close));
    }
    return Mono.when(closes);
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private McpRunnerException closedError() {
    return new McpRunnerException(
        "The runner is closed: no session with MCP server '" + server.name() + "' is opened");
  }
}
