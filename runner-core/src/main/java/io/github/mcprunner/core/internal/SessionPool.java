package io.github.mcprunner.core.internal;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * The bounded pool of MCP sessions with one server, keyed by identity: at most one open session
 * per key (single-flight creation), idle sessions expire, the least valuable ones are evicted past
 * the bound, and an evicted session is closed (DELETE) once its last run lets go. A session never
 * changes key, so a session opened for one identity never serves another. Not public API.
 */
final class SessionPool {

  private final McpServerSpec server;
  private final McpTransportFactory factory;
  private final HeaderChain chain;
  private final McpJsonMapper jsonMapper;
  private final AsyncCache<String, McpSession> sessions;

  SessionPool(
      McpServerSpec server,
      McpTransportFactory factory,
      HeaderChain chain,
      McpJsonMapper jsonMapper,
      Ticker ticker,
      boolean systemScheduler) {
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
   * with {@code scope} as its own scope. The future fails when the session could not be opened;
   * the failure is not cached.
   */
  CompletableFuture<McpSession> session(String key, RunScope scope) {
    return sessions.get(
        key, (k, executor) -> McpSession.open(k, server, factory, chain, scope, jsonMapper));
  }

  /** Opens a session outside the pool (the {@code PER_RUN} strategy). */
  CompletableFuture<McpSession> openUnpooled(String key, RunScope scope) {
    return McpSession.open(key, server, factory, chain, scope, jsonMapper);
  }

  /** Drops {@code session} from the pool (it expired at the server, or failed); it is closed. */
  void invalidate(McpSession session) {
    sessions.synchronous().asMap().remove(session.key(), session);
    session.retire();
  }

  /** Marks {@code session} as used now, so it does not expire while runs keep using it. */
  void touch(McpSession session) {
    sessions.getIfPresent(session.key());
  }

  /** Runs pending expiry and eviction now (tests with a manual ticker). */
  void cleanUp() {
    sessions.synchronous().cleanUp();
  }

  /** Returns the number of sessions in the pool. */
  long size() {
    return sessions.synchronous().estimatedSize();
  }

  /** Closes every session of the pool and waits for the DELETEs (bounded). */
  Mono<Void> closeAll() {
    List<McpSession> open = new ArrayList<>(sessions.synchronous().asMap().values());
    sessions.synchronous().invalidateAll();
    List<Mono<Void>> closes = new ArrayList<>();
    for (McpSession session : open) {
      closes.add(session.close());
    }
    return Mono.when(closes);
  }
}
