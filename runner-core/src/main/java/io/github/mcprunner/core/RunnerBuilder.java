package io.github.mcprunner.core;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.InputHandler;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.internal.DefaultRunner;
import io.github.mcprunner.core.internal.HeaderChain;
import io.github.mcprunner.core.internal.HeaderLayers;
import io.github.mcprunner.core.internal.HeaderProviders;
import io.github.mcprunner.core.internal.Observation;
import io.github.mcprunner.core.internal.TransportRegistry;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.observe.RunObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Runner}: its header providers, default headers (layer 1 of the precedence chain),
 * transports, executor and clock. Not thread-safe; the runner it builds is.
 */
public final class RunnerBuilder {
  private McpHeaders defaultMcpHeaders = McpHeaders.empty();
  private final List<McpHeaderProvider> providers = new ArrayList<>();
  private final List<McpTransportFactory> transports = new ArrayList<>();
  private boolean discoverProviders = true;
  private boolean discoverTransports = true;
  private final List<RunObserver> observers = new ArrayList<>();
  private boolean discoverObservers = true;
  private @Nullable ClassLoader classLoader;
  private @Nullable Executor executor;
  private @Nullable Clock clock;
  private @Nullable InputHandler inputHandler;
  private Duration inputTimeout = InputHandler.DEFAULT_TIMEOUT;
  private final List<String> sensitiveHeaders = new ArrayList<>();

  RunnerBuilder() {}

  /**
   * Sets the headers sent on every request to every MCP server, below every other layer (layer 1).
   *
   * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
   */
  public RunnerBuilder defaultMcpHeaders(McpHeaders headers) {
    requireNonNull(headers, "headers");
    this.defaultMcpHeaders = HeaderLayers.requireUnprotected(headers, "runner default headers");
    return this;
  }

  /**
   * Adds a header provider (layer 3), besides those found with {@link java.util.ServiceLoader}. A
   * discovered provider with the same {@code name()} is left out. The caller keeps ownership: the
   * runner closes only the providers it discovered itself.
   */
  public RunnerBuilder headerProvider(McpHeaderProvider provider) {
    providers.add(requireNonNull(provider, "provider"));
    return this;
  }

  /**
   * Sets whether header providers registered in {@code META-INF/services} are used; defaults to
   * {@code true}.
   */
  public RunnerBuilder discoverHeaderProviders(boolean discover) {
    this.discoverProviders = discover;
    return this;
  }

  /**
   * Adds a transport, besides those found with {@link java.util.ServiceLoader}. The caller keeps
   * ownership: the runner closes only the transports it discovered itself.
   */
  public RunnerBuilder transport(McpTransportFactory transport) {
    transports.add(requireNonNull(transport, "transport"));
    return this;
  }

  /** Sets whether transports registered in {@code META-INF/services} are used; defaults to true. */
  public RunnerBuilder discoverTransports(boolean discover) {
    this.discoverTransports = discover;
    return this;
  }

  /**
   * Sets the class loader {@link java.util.ServiceLoader} searches; defaults to the context one.
   */
  public RunnerBuilder classLoader(ClassLoader classLoader) {
    this.classLoader = requireNonNull(classLoader, "classLoader");
    return this;
  }

  /**
   * Sets the executor of asynchronous and streamed runs; defaults to a cached pool of daemon
   * threads that {@link Runner#close()} shuts down. A given executor is not shut down.
   */
  public RunnerBuilder executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
    return this;
  }

  /** Sets the clock of session idle expiry; defaults to the system's monotonic time. */
  public RunnerBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Adds a run observer (traces, metrics), besides those found with {@link
   * java.util.ServiceLoader}. Its {@linkplain RunObserver#headerProvider() header provider}, if it
   * has one, joins the header providers (layer 3), where a per-run layer can still remove what it
   * sets. Without any observer, runs observe nothing and pay nothing for it.
   */
  public RunnerBuilder observer(RunObserver observer) {
    observers.add(requireNonNull(observer, "observer"));
    return this;
  }

  /**
   * Sets whether run observers registered in {@code META-INF/services} are used; defaults to {@code
   * true}. An observer of the same class as one given to {@link #observer(RunObserver)} is left
   * out.
   */
  public RunnerBuilder discoverObservers(boolean discover) {
    this.discoverObservers = discover;
    return this;
  }

  /**
   * Sets the input handler of the runs that set none ({@link
   * io.github.mcprunner.RunOptions.Builder#inputHandler}): it answers the MCP servers' questions
   * (elicitation) to each run's user, and is asked only about its own run's questions. Without one,
   * a run declines every question. A session declares the elicitation capability when the run that
   * opens it has a handler (its own or this one).
   */
  public RunnerBuilder inputHandler(InputHandler handler) {
    this.inputHandler = requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Bounds the wait for each answer of an input handler, for the runs that set none; defaults to
   * {@link InputHandler#DEFAULT_TIMEOUT}. When it passes, the server is told {@code cancel}.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public RunnerBuilder inputTimeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("inputTimeout must be positive, was " + timeout);
    }
    this.inputTimeout = timeout;
    return this;
  }

  /**
   * Returns the runner.
   *
   * @throws IllegalArgumentException if two header providers have the same name
   * @throws IllegalStateException if a run observer registered in {@code META-INF/services} cannot
   *     be loaded
   */
  public Runner build() {
    ClassLoader loader = classLoader;
    if (loader == null) {
      loader = Thread.currentThread().getContextClassLoader();
    }
    if (loader == null) {
      loader = RunnerBuilder.class.getClassLoader();
    }
    List<RunObserver> allObservers = new ArrayList<>(observers);
    if (discoverObservers) {
      Set<Class<?>> given = new HashSet<>();
      observers.forEach(o -> given.add(o.getClass()));
      for (RunObserver found : Observation.discover(loader)) {
        if (given.add(found.getClass())) {
          allObservers.add(found);
        }
      }
    }
    List<McpHeaderProvider> all = new ArrayList<>(providers);
    allObservers.forEach(o -> o.headerProvider().ifPresent(all::add));
    List<AutoCloseable> owned = new ArrayList<>();
    if (discoverProviders) {
      Set<String> names = new HashSet<>();
      all.forEach(p -> names.add(p.name()));
      for (McpHeaderProvider found : HeaderProviders.discover(loader)) {
        if (names.add(found.name())) {
          all.add(found);
          if (found instanceof AutoCloseable) {
            owned.add((AutoCloseable) found);
          }
        }
      }
    }
    HeaderChain chain = HeaderChain.create(defaultMcpHeaders, all, sensitiveHeaders);
    TransportRegistry registry =
        TransportRegistry.create(transports, discoverTransports ? loader : null);
    ExecutorService ownedExecutor = null;
    Executor runExecutor = executor;
    if (runExecutor == null) {
      ownedExecutor = Executors.newCachedThreadPool(new DaemonThreads());
      runExecutor = ownedExecutor;
    }
    Clock time = clock;
    Ticker ticker =
        time == null
            ? Ticker.systemTicker()
            : () -> {
              java.time.Instant now = time.instant();
              return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            };
    DefaultRunner runner =
        new DefaultRunner(
            chain,
            registry,
            runExecutor,
            ownedExecutor,
            owned,
            ticker,
            time == null,
            Observation.of(allObservers));
    runner.inputDefaults(inputHandler, inputTimeout);
    return runner;
  }

  /**
   * Adds header names whose values are secrets for this runner, besides those {@link
   * McpHeaders#isSensitive(String)} knows (an in-house {@code X-Corp-Sig}): whatever layer sets
   * them, their values are marked secret in the headers resolved for every request ({@link
   * McpHeaders#isSecret(String)}), so the transports' TRACE log of sent headers and every message
   * that prints headers redact them. Names match ignoring case; calls add up.
   *
   * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a name is not a valid header
   *     name
   */
  public RunnerBuilder sensitiveHeaders(String... names) {
    requireNonNull(names, "names");
    for (int i = 0; i < names.length; i++) {
      String name = requireNonNull(names[i], "names[" + i + "]");
      McpHeaders.validate(name, "", "RunnerBuilder.sensitiveHeaders");
      sensitiveHeaders.add(name);
    }
    return this;
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "mcp-runner-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
