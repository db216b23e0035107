package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the headers of one HTTP request to an MCP server from the five layers of the precedence
 * chain, lowest first, the later winning per header name (ignoring case, keeping the winner's
 * spelling):
 *
 * <ol>
 *   <li>runner defaults, given to {@link #create(McpHeaders, List)};
 *   <li>the server's static headers, {@link HeaderRequest#serverHeaders()};
 *   <li>the providers, in ascending {@link McpHeaderProvider#order()} then {@link
 *       McpHeaderProvider#name()}, each seeing the layers below it in {@link
 *       HeaderContext#resolvedSoFar()};
 *   <li>the run's headers for every server, {@link RunScope#perRunHeaders()};
 *   <li>the run's headers for this server, {@link RunScope#perServerHeaders(String)}.
 * </ol>
 *
 * <p>A removal ({@link McpHeaders.Builder#remove(String)}) in a layer deletes the header from the
 * layers below it. The result holds no removal marker and no protected header: each layer's
 * protected names are refused once, where it enters — runner defaults by {@code
 * RunnerBuilder.defaultMcpHeaders}, server static headers by {@code McpServerSpec.Builder.headers},
 * per-run headers by {@code RunOptions.Builder.mcpHeaders} — and a provider's output here, for
 * every request, since it changes from one request to the next.
 *
 * <p>Immutable and thread-safe; {@link #resolve(HeaderRequest)} runs for every HTTP request, keeps
 * no state between calls, and merges the layers once, into the one new {@link McpHeaders} it
 * returns (plus one small context per provider called).
 */
public final class HeaderChain {

  private static final Logger LOG = LoggerFactory.getLogger(HeaderChain.class);

  private final McpHeaders runnerDefaults;
  private final McpHeaderProvider[] providers;
  private final String[] providerNames;
  private final String[] providerLayers;
  private final List<McpHeaderProvider> providerList;
  private final String[] sensitiveNames;
  private final ProviderWatchdog watchdog = new ProviderWatchdog("mcp-runner-provider-watchdog");

  private HeaderChain(
      McpHeaders runnerDefaults,
      McpHeaderProvider[] providers,
      String[] names,
      String[] sensitiveNames) {
    this.runnerDefaults = runnerDefaults;
    this.sensitiveNames = sensitiveNames;
    this.providers = providers;
    this.providerNames = names;
    this.providerLayers = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      providerLayers[i] = "provider '" + names[i] + "'";
    }
    this.providerList = List.of(providers);
  }

  /**
   * Returns a chain of {@code runnerDefaults} (layer 1) and {@code providers} (layer 3), the latter
   * sorted by {@code order()} then {@code name()} whatever order they are given in.
   *
   * @throws IllegalArgumentException if two providers have the same name
   * @throws NullPointerException if an argument, a provider or a provider's name is null
   */
  public static HeaderChain create(McpHeaders runnerDefaults, List<McpHeaderProvider> providers) {
    return create(runnerDefaults, providers, List.of());
  }

  /**
   * Returns a chain like {@link #create(McpHeaders, List)} whose resolved headers also mark the
   * values of {@code sensitiveNames} (ignoring case) secret ({@link McpHeaders#isSecret(String)}),
   * so that every log line and message that prints them redacts them, as it does the names {@link
   * McpHeaders#isSensitive(String)} knows.
   *
   * @throws IllegalArgumentException if two providers have the same name
   * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a sensitive name is not a
   *     valid header name
   */
  public static HeaderChain create(
      McpHeaders runnerDefaults, List<McpHeaderProvider> providers, List<String> sensitiveNames) {
    requireNonNull(sensitiveNames, "sensitiveNames");
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < sensitiveNames.size(); i++) {
      String name = requireNonNull(sensitiveNames.get(i), "sensitiveNames[" + i + "]");
      McpHeaders.validate(name, "", "RunnerBuilder.sensitiveHeaders");
      // Names the built-in rule already covers need no mark.
      if (!McpHeaders.isSensitive(name)) {
        extra.add(name);
      }
    }
    requireNonNull(runnerDefaults, "runnerDefaults");
    requireNonNull(providers, "providers");
    List<Sortable> sortable = new ArrayList<>(providers.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < providers.size(); i++) {
      McpHeaderProvider provider = requireNonNull(providers.get(i), "providers[" + i + "]");
      String name =
          requireNonNull(provider.name(), "name() of provider " + provider.getClass().getName());
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "Two header providers are named '"
                + name
                + "' ("
                + provider.getClass().getName()
                + " and another); provider names must be unique");
      }
      sortable.add(new Sortable(provider, name, provider.order()));
    }
    sortable.sort(Comparator.comparingInt(Sortable::order).thenComparing(Sortable::name));
    McpHeaderProvider[] sorted = new McpHeaderProvider[sortable.size()];
    String[] names = new String[sortable.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = sortable.get(i).provider();
      names[i] = sortable.get(i).name();
    }
    return new HeaderChain(runnerDefaults, sorted, names, extra.toArray(new String[0]));
  }

  /** Returns the providers in chain order (unmodifiable). */
  public List<McpHeaderProvider> providers() {
    return providerList;
  }

  /** Returns the runner defaults (layer 1). */
  public McpHeaders runnerDefaults() {
    return runnerDefaults;
  }

  /**
   * Resolves the headers of {@code request}.
   *
   * @return the headers to send and the providers that contributed to them
   * @throws HeaderProviderException if a provider that is not {@linkplain
   *     McpHeaderProvider#optional() optional} throws, returns {@code null}, or returns a protected
   *     header; the message names the provider, the server and the header, never a value, and never
   *     repeats the provider exception's message
   */
  public ResolvedHeaders resolve(HeaderRequest request) {
    requireNonNull(request, "request");
    return resolveLayers(request, null);
  }

  /**
   * Resolves the headers of {@code request} like {@link #resolve(HeaderRequest)}, with every
   * provider call under the request's deadline and its run's cancellation: a provider still running
   * {@code timeout} after this call started, or when the run is cancelled or the runner closes, is
   * interrupted, and the request fails naming it ({@link HeaderProviderException}: "did not answer
   * within ...") or as cancelled ({@link io.github.mcprunner.RunCancelledException}). A late
   * provider fails the request even when it is optional: the request's time is spent.
   */
  public ResolvedHeaders resolve(HeaderRequest request, Duration timeout) {
    return resolve(request, timeout, true);
  }

  /**
   * Resolves the headers of {@code request} like {@link #resolve(HeaderRequest, Duration)}; when
   * {@code followsRunCancel} is false, the cancellation of the request's run does not stop it (a
   * session's own request, which borrows the headers of a run of its identity and outlives it).
   */
  public ResolvedHeaders resolve(
      HeaderRequest request, Duration timeout, boolean followsRunCancel) {
    requireNonNull(request, "request");
    requireNonNull(timeout, "timeout");
    if (providers.length == 0) {
      return resolveLayers(request, null);
    }
    ProviderWatchdog.Watch watch =
        watchdog.arm(request.run(), System.nanoTime() + timeout.toNanos(), followsRunCancel);
    ResolvedHeaders resolved = null;
    RuntimeException failure = null;
    Error error = null;
    try {
      resolved = resolveLayers(request, watch);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      error = e;
    } finally {
      ProviderWatchdog.Reason reason = watchdog.disarm(watch);
      if (reason != ProviderWatchdog.Reason.NONE) {
        // Whatever the interrupted provider did, the request failed because of why it fired.
        failure = stopped(request, watch.provider(), reason, timeout);
        error = null;
      }
    }
    if (error != null) {
      throw error;
    }
    if (failure != null) {
      throw failure;
    }
    return requireNonNull(resolved);
  }

  private RuntimeException stopped(
      HeaderRequest request, int providerIndex, ProviderWatchdog.Reason reason, Duration timeout) {
    String provider = providerIndex < 0 ? "(none)" : providerNames[providerIndex];
    String server = request.server().name();
    switch (reason) {
      case CANCELLED:
        return request.run().cancelledException();
      case CLOSED:
        return new HeaderProviderException(
            provider, server, "was interrupted: the runner was closed", null);
      default:
        if (providerIndex >= 0) {
          request.run().noteLateProvider(provider);
        }
        return new HeaderProviderException(
            provider, server, "did not answer within " + timeout + " and was interrupted", null);
    }
  }

  /**
   * Returns the name of the provider a thread is calling now for {@code run}, or null: a request of
   * that run that timed out meanwhile was waiting for it, not for the server.
   */
  public @Nullable String providerRunningFor(RunScope run) {
    int index = watchdog.providerRunningFor(requireNonNull(run, "run"));
    return index < 0 ? null : providerNames[index];
  }

  /** Interrupts every provider call in flight now (the runner is closing). */
  public void interruptProviders() {
    watchdog.interruptAll();
  }

  /** Stops the watchdog thread of provider calls. */
  public void close() {
    watchdog.close();
  }

  private ResolvedHeaders resolveLayers(
      HeaderRequest request, ProviderWatchdog.@Nullable Watch watch) {
    McpServerRef server = request.server();
    // The layers are collected and merged once at the end; a provider that asks for the headers
    // resolved so far gets them merged on demand (most providers never ask).
    Layers layers = new Layers(providers.length + 4);
    layers.push(runnerDefaults);
    layers.push(request.serverHeaders());
    McpHeaderProvider @Nullable [] contributed = null;
    int contributors = 0;
    for (int i = 0; i < providers.length; i++) {
      McpHeaderProvider provider = providers[i];
      McpHeaders out;
      if (watch != null) {
        watch.calling(i);
      }
      try {
        if (!provider.appliesTo(server)) {
          continue;
        }
        out = provider.headers(new ChainContext(request, layers, layers.size()));
      } catch (InvalidMcpHeaderException e) {
        fail(i, server, "built the invalid header '" + e.headerName() + "'", e);
        continue;
      } catch (HeaderProviderException e) {
        // Already names provider and server, with the provider's own detail (an OAuth error code):
        // passed on as it is, not wrapped in a message that would lose that detail.
        if (!isOptional(provider)) {
          throw e;
        }
        fail(i, server, "threw " + simpleName(e), e);
        continue;
      } catch (Exception | LinkageError | AssertionError e) {
        // The provider's own message may hold a secret: name its class only; keep it as the cause.
        // An AssertionError or a missing class is the provider's failure too, and named as such;
        // only the JVM's own errors (out of memory, stack overflow) pass through.
        fail(i, server, "threw " + simpleName(e), e);
        continue;
      }
      if (out == null) {
        fail(i, server, "returned null instead of McpHeaders", null);
        continue;
      }
      if (out.isEmpty()) {
        continue;
      }
      try {
        HeaderLayers.requireUnprotected(out, providerLayers[i]);
      } catch (InvalidMcpHeaderException e) {
        fail(i, server, "returned the protected header '" + e.headerName() + "'", e);
        continue;
      }
      layers.push(out);
      if (contributed == null) {
        contributed = new McpHeaderProvider[providers.length];
      }
      contributed[contributors++] = provider;
    }
    RunScope run = request.run();
    layers.push(run.perRunHeaders());
    layers.push(run.perServerHeaders(server.name()));
    McpHeaders headers = HeaderLayers.merge(layers);
    if (sensitiveNames.length > 0) {
      headers = markSensitive(headers);
    }
    return new ResolvedHeaders(headers, contributorList(contributed, contributors));
  }

  /** Returns {@code headers} with the values of the runner's own sensitive names marked secret. */
  private McpHeaders markSensitive(McpHeaders headers) {
    McpHeaders.Builder marked = null;
    for (String name : sensitiveNames) {
      if (headers.contains(name) && !headers.isSecret(name)) {
        if (marked == null) {
          marked = McpHeaders.builder();
        }
        marked.remove(name);
      }
    }
    if (marked == null) {
      return headers;
    }
    // Rebuilt in order, keeping each name's spelling; the marked names' values set as secrets.
    McpHeaders toMark = marked.build();
    McpHeaders.Builder rebuilt = McpHeaders.builder();
    headers.forEach(
        (name, value) -> {
          if (toMark.removes(name) || headers.isSecret(name)) {
            rebuilt.setSecret(name, value);
          } else {
            rebuilt.set(name, value);
          }
        });
    return rebuilt.build();
  }

  /**
   * Tells the providers that a request described by {@code request} was refused with HTTP 401 (or
   * 403): every provider that {@linkplain McpHeaderProvider#appliesTo applies} to the server is
   * asked, in chain order, whether it contributed headers or not — a provider that discovers the
   * server's authorization server from the challenge has contributed nothing before it. Each sees
   * the layers below the providers (runner defaults and the server's static headers) as {@link
   * HeaderContext#resolvedSoFar()}. A provider that throws is logged (class name only) and counts
   * as "no retry".
   *
   * @param wwwAuthenticate the response's {@code WWW-Authenticate} header, if any
   * @return whether at least one provider says a retry may succeed
   */
  public boolean onUnauthorized(HeaderRequest request, @Nullable String wwwAuthenticate) {
    requireNonNull(request, "request");
    return askUnauthorized(request, wwwAuthenticate, null);
  }

  /**
   * Like {@link #onUnauthorized(HeaderRequest, String)}, with the providers' calls under {@code
   * timeout} and the run's cancellation, as {@link #resolve(HeaderRequest, Duration)} does.
   *
   * @throws HeaderProviderException naming a provider still running at the deadline
   * @throws io.github.mcprunner.RunCancelledException when the run was cancelled meanwhile
   */
  public boolean onUnauthorized(
      HeaderRequest request, @Nullable String wwwAuthenticate, Duration timeout) {
    requireNonNull(request, "request");
    requireNonNull(timeout, "timeout");
    if (providers.length == 0) {
      return false;
    }
    ProviderWatchdog.Watch watch =
        watchdog.arm(request.run(), System.nanoTime() + timeout.toNanos());
    boolean retry;
    try {
      retry = askUnauthorized(request, wwwAuthenticate, watch);
    } catch (RuntimeException | Error e) {
      ProviderWatchdog.Reason reason = watchdog.disarm(watch);
      if (reason != ProviderWatchdog.Reason.NONE) {
        throw stopped(request, watch.provider(), reason, timeout);
      }
      throw e;
    }
    ProviderWatchdog.Reason reason = watchdog.disarm(watch);
    if (reason != ProviderWatchdog.Reason.NONE) {
      throw stopped(request, watch.provider(), reason, timeout);
    }
    return retry;
  }

  private boolean askUnauthorized(
      HeaderRequest request,
      @Nullable String wwwAuthenticate,
      ProviderWatchdog.@Nullable Watch watch) {
    McpServerRef server = request.server();
    Layers layers = new Layers(2);
    layers.push(runnerDefaults);
    layers.push(request.serverHeaders());
    HeaderContext context = new ChainContext(request, layers, layers.size());
    boolean retry = false;
    for (int i = 0; i < providers.length; i++) {
      McpHeaderProvider provider = providers[i];
      if (watch != null) {
        if (watch.fired()) {
          break;
        }
        watch.calling(i);
      }
      try {
        if (provider.appliesTo(server) && provider.onUnauthorized(context, wwwAuthenticate)) {
          retry = true;
        }
      } catch (RuntimeException e) {
        if (watch != null && watch.fired()) {
          break;
        }
        LOG.warn(
            "Header provider '{}' failed in onUnauthorized for server '{}' ({})",
            providerNames[i],
            server.name(),
            simpleName(e));
      }
    }
    return retry;
  }

  private List<McpHeaderProvider> contributorList(
      McpHeaderProvider @Nullable [] contributed, int count) {
    if (contributed == null) {
      return List.of();
    }
    if (count == providers.length) {
      return providerList;
    }
    switch (count) {
      case 1:
        return List.of(contributed[0]);
      case 2:
        return List.of(contributed[0], contributed[1]);
      default:
        return List.of(Arrays.copyOf(contributed, count));
    }
  }

  /**
   * Throws for a failed provider, or logs one warning when the provider is optional (no value, no
   * exception message, no stack trace: any of them could carry a secret).
   */
  private void fail(int index, McpServerRef server, String problem, @Nullable Throwable cause) {
    if (!isOptional(providers[index])) {
      throw new HeaderProviderException(providerNames[index], server.name(), problem, cause);
    }
    LOG.warn(
        "Optional header provider '{}' was skipped for server '{}': it {}",
        providerNames[index],
        server.name(),
        problem);
  }

  private static boolean isOptional(McpHeaderProvider provider) {
    try {
      return provider.optional();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String simpleName(Throwable e) {
    String name = e.getClass().getSimpleName();
    return name.isEmpty() ? e.getClass().getName() : name;
  }

  /** Returns {@code HeaderChain{defaults=[names], providers=[names]}}, without any value. */
  @Override
  public String toString() {
    return "HeaderChain{defaults="
        + runnerDefaults.names()
        + ", providers="
        + Arrays.toString(providerNames)
        + "}";
  }

  private record Sortable(McpHeaderProvider provider, String name, int order) {}

  /**
   * The non-empty layers of one resolution, lowest first; grows while the providers run. Entries
   * below a context's {@code count} never change once the provider sees them.
   */
  private static final class Layers extends AbstractList<McpHeaders> implements RandomAccess {
    private final McpHeaders[] layers;
    private int size;

    Layers(int capacity) {
      this.layers = new McpHeaders[capacity];
    }

    void push(McpHeaders layer) {
      if (!layer.isEmpty()) {
        layers[size++] = layer;
      }
    }

    @Override
    public McpHeaders get(int index) {
      Objects.checkIndex(index, size);
      return layers[index];
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** The context one provider sees for one request; reads the request and run lazily. */
  private static final class ChainContext implements HeaderContext {
    private final HeaderRequest request;
    private final Layers layers;
    private final int below;

    ChainContext(HeaderRequest request, Layers layers, int below) {
      this.request = request;
      this.layers = layers;
      this.below = below;
    }

    @Override
    public McpServerRef server() {
      return request.server();
    }

    @Override
    public String agentName() {
      return request.run().agentName();
    }

    @Override
    public String runId() {
      return request.run().runId();
    }

    @Override
    public Optional<String> identity() {
      return request.run().identity();
    }

    @Override
    public Optional<String> mcpMethod() {
      return Optional.ofNullable(request.mcpMethod());
    }

    @Override
    public Optional<String> toolName() {
      return Optional.ofNullable(request.toolName());
    }

    @Override
    public <T> Optional<T> get(ContextKey<T> key) {
      return request.run().context(requireNonNull(key, "key"));
    }

    @Override
    public McpHeaders resolvedSoFar() {
      // Removal markers only matter while merging; a provider sees the headers as they stand.
      return HeaderLayers.merge(layers.subList(0, below));
    }

    @Override
    public String toString() {
      return "HeaderContext{server="
          + request.server().name()
          + ", agent="
          + request.run().agentName()
          + ", run="
          + request.run().runId()
          + "}";
    }
  }
}
