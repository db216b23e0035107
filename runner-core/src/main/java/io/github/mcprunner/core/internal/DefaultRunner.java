package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.Agent;
import io.github.mcprunner.InputHandler;
import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The {@link Runner} {@code Runners.builder()} builds: one header chain, one session pool per MCP
 * server, runs on the caller's thread ({@code run}) or the executor ({@code runAsync}, {@code
 * runStreamed}). Not public API: use {@code Runners}.
 */
public final class DefaultRunner implements Runner {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DefaultRunner.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /**
   * Identifies a server across agents: specs equal in all of these share one session pool and one
   * protocol state. A spec that differs in any of them (another static header, timeout, session
   * strategy or protocol) gets its own, so that every request carries the settings of the spec it
   * was made for, never those of another agent's spec of the same server. The tool filter, round
   * bound and re-issue switch are read from the calling agent's spec on each call.
   */
  private record PoolKey(
      String name,
      URI url,
      TransportKind kind,
      @Nullable String transport,
      McpHeaders headers,
      Duration connectTimeout,
      Duration requestTimeout,
      Duration initializeTimeout,
      SessionStrategy sessionStrategy,
      int maxSessions,
      Duration sessionIdleTimeout,
      McpProtocol protocol) {

    static PoolKey of(McpServerSpec server) {
      return new PoolKey(
          server.name(),
          server.uri(),
          server.transportKind(),
          server.transport().orElse(null),
          server.headers(),
          server.connectTimeout(),
          server.requestTimeout(),
          server.initializeTimeout(),
          server.sessionStrategy(),
          server.maxSessions(),
          server.sessionIdleTimeout(),
          server.protocol());
    }
  }

  private final HeaderChain chain;
  private final TransportRegistry transports;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final List<AutoCloseable> ownedProviders;
  private final Ticker ticker;
  private final boolean systemScheduler;
  private final McpJsonMapper jsonMapper;
  private final Observation observation;
  private final ConcurrentHashMap<PoolKey, SessionPool> pools = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PoolKey, StatelessServer> protocols = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile @Nullable InputHandler inputHandler;
  private volatile Duration inputTimeout = InputHandler.DEFAULT_TIMEOUT;
  // The runs (and toolbox runs) in flight, which close() ends.
  private final java.util.Set<ToolboxSession> active = ConcurrentHashMap.newKeySet();

  public DefaultRunner(
      HeaderChain chain,
      TransportRegistry transports,
      Executor executor,
      @Nullable ExecutorService ownedExecutor,
      List<AutoCloseable> ownedProviders,
      Ticker ticker,
      boolean systemScheduler,
      Observation observation) {
    this.chain = chain;
    this.transports = transports;
    this.executor = executor;
    this.ownedExecutor = ownedExecutor;
    this.ownedProviders = List.copyOf(ownedProviders);
    this.ticker = ticker;
    this.systemScheduler = systemScheduler;
    this.jsonMapper = McpJsonDefaults.getMapper();
    this.observation = observation;
  }

  /**
   * Sets the input handler of runs that bring none, and the default bound on each wait; called by
   * the builder before the runner is handed out.
   */
  public void inputDefaults(@Nullable InputHandler handler, Duration timeout) {
    this.inputHandler = handler;
    this.inputTimeout = timeout;
  }

  @Nullable InputHandler inputHandler() {
    return inputHandler;
  }

  Duration inputTimeout() {
    return inputTimeout;
  }

  Observation observation() {
    return observation;
  }

  HeaderChain chain() {
    return chain;
  }

  McpJsonMapper jsonMapper() {
    return jsonMapper;
  }

  SessionPool pool(McpServerSpec server) {
    checkOpen();
    PoolKey key = PoolKey.of(server);
    return pools.computeIfAbsent(
        key,
        k -> {
          McpTransportFactory factory = transports.forServer(server);
          return new SessionPool(
              server, factory, chain, jsonMapper, ticker, systemScheduler, observation);
        });
  }

  /**
   * Returns the server's protocol state (the {@code AUTO} decision, the stateless client and tool
   * lists), one per server like its session pool.
   */
  StatelessServer protocol(McpServerSpec server) {
    checkOpen();
    PoolKey key = PoolKey.of(server);
    return protocols.computeIfAbsent(
        key,
        k ->
            new StatelessServer(
                server,
                transports.forServer(server),
                chain,
                jsonMapper,
                ticker::read,
                observation()));
  }

  /** Returns the number of pooled sessions with every server (for tests and metrics). */
  public long pooledSessions() {
    long total = 0;
    for (SessionPool pool : pools.values()) {
      total += pool.size();
    }
    return total;
  }

  /** Runs pending idle expiry now (tests driving a manual clock). */
  public void evictIdleSessions() {
    for (SessionPool pool : pools.values()) {
      pool.cleanUp();
    }
  }

  @Override
  public RunResult run(Agent agent, String input, RunOptions options) {
    checkArguments(agent, input, options);
    RunCancellation cancellation = new RunCancellation();
    return new RunExecution(this, agent, input, options, newRunId(), cancellation, null).execute();
  }

  @Override
  public CompletableFuture<RunResult> runAsync(Agent agent, String input, RunOptions options) {
    checkArguments(agent, input, options);
    RunCancellation cancellation = new RunCancellation();
    String runId = newRunId();
    RunFuture future = new RunFuture(cancellation);
    submit(
        () -> {
          try {
            future.complete(
                new RunExecution(this, agent, input, options, runId, cancellation, null).execute());
          } catch (Throwable t) {
            future.completeExceptionally(t);
          }
        },
        future);
    return future;
  }

  @Override
  public RunStream runStreamed(Agent agent, String input, RunOptions options) {
    checkArguments(agent, input, options);
    RunCancellation cancellation = new RunCancellation();
    String runId = newRunId();
    EventLog events = new EventLog();
    RunFuture future = new RunFuture(cancellation);
    submit(
        () -> {
          try {
            future.complete(
                new RunExecution(this, agent, input, options, runId, cancellation, events)
                    .execute());
          } catch (Throwable t) {
            future.completeExceptionally(t);
          }
        },
        future);
    return new RunStream() {
      @Override
      public void subscribe(Flow.Subscriber<? super RunEvent> subscriber) {
        events.subscribe(requireNonNull(subscriber, "subscriber"));
      }

      @Override
      public String runId() {
        return runId;
      }

      @Override
      public CompletableFuture<RunResult> result() {
        return future;
      }

      @Override
      public void cancel() {
        cancellation.cancel();
      }
    };
  }

  @Override
  public McpToolbox toolbox(String name, List<McpServerSpec> servers) {
    checkOpen();
    return new DefaultToolbox(this, name, servers);
  }

  /** Records a run in flight; refused once the runner is closed. */
  void register(ToolboxSession run) {
    active.add(run);
    if (closed) {
      active.remove(run);
      throw new IllegalStateException("this Runner is closed");
    }
  }

  void unregister(ToolboxSession run) {
    active.remove(run);
  }

  /**
   * Closes the runner: every run still in flight fails with a {@link
   * io.github.mcprunner.RunCancelledException} saying the runner was closed (a provider call it is
   * waiting for is interrupted), then the sessions are closed (DELETE; close waits for them at most
   * 10 s, and a session still opening is closed when it opens), the owned executor shut down and
   * the discovered providers closed. Never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ToolboxSession run : active) {
      run.stopBecauseRunnerClosed();
    }
    chain.interruptProviders();
    List<Mono<Void>> closes = new ArrayList<>();
    for (SessionPool pool : pools.values()) {
      closes.add(pool.closeAll());
    }
    pools.clear();
    protocols.clear();
    awaitSessionsClosed(closes);
    chain.close();
    transports.closeDiscovered();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    for (AutoCloseable provider : ownedProviders) {
      try {
        provider.close();
      } catch (Exception e) {
        log.warn("Closing a discovered header provider failed ({})", e.getClass().getSimpleName());
      }
    }
  }

  /**
   * Waits, at most {@link #CLOSE_WAIT}, for the sessions to close; past it (a handshake still in
   * flight, which is closed when it completes) the rest of {@link #close()} goes on, since the
   * transports, executor and providers must be closed all the same. Never throws.
   */
  private static void awaitSessionsClosed(List<Mono<Void>> closes) {
    // toFuture(): a wait that ends early does not cancel the closes still under way.
    CompletableFuture<Void> closed = Mono.when(closes).toFuture();
    try {
      closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "Closing the runner: sessions still opening or closing after {}; the transports are"
              + " closed now",
          CLOSE_WAIT);
    } catch (ExecutionException e) {
      log.debug(
          "Closing the runner: closing a session failed ({})",
          e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable task, RunFuture future) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(
          new io.github.mcprunner.McpRunnerException("The runner's executor refused the run", e));
    }
  }

  private void checkArguments(Agent agent, String input, RunOptions options) {
    requireNonNull(agent, "agent");
    requireNonNull(input, "input");
    requireNonNull(options, "options");
    checkOpen();
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Runner is closed");
    }
  }

  static String newRunId() {
    return "run_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** A run's future: cancelling it cancels the run. */
  private static final class RunFuture extends CompletableFuture<RunResult> {
    private final RunCancellation cancellation;

    RunFuture(RunCancellation cancellation) {
      this.cancellation = Objects.requireNonNull(cancellation);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancellation.cancel();
      return super.cancel(mayInterruptIfRunning);
    }
  }
}
