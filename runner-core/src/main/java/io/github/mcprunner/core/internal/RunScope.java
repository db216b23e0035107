package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One run as its MCP requests see it, in the one shape it has between {@code RunOptions} and the
 * header chain: the agent and run, the session identity, the per-run headers (layer 4), the per-run
 * per-server headers (layer 5), the run's context values (read by header providers), and whether
 * the run was cancelled. It travels to the transports inside the MCP SDK's {@link
 * McpTransportContext} ({@link #transportContext()}, read back with {@link
 * #from(McpTransportContext)}), never in a thread-local.
 *
 * <p>Thread-safe; immutable but for the cancellation (flag, reason, listeners: {@link
 * #onCancel(Runnable)}); one instance per run, never shared between runs. The headers are taken as
 * checked where they entered ({@code RunOptions} refuses protected names). {@link #toString()}
 * prints header names and context key names only, never a header value or a context value. Not
 * public API.
 */
public final class RunScope {

  /** The key under which the scope travels in the {@link McpTransportContext}. */
  public static final String CONTEXT_KEY = "io.github.mcprunner.run";

  private final String agentName;
  private final String runId;
  private final @Nullable String identity;
  private final McpHeaders perRunHeaders;
  private final Map<String, McpHeaders> perServerHeaders;
  private final Map<ContextKey<?>, Object> context;
  private final Map<ContextKey<?>, Object> contextView;
  private final McpTransportContext transportContext;
  private final RunInput input;
  private volatile boolean cancelled;
  private volatile @Nullable String cancelReason;
  private volatile @Nullable String lateProvider;
  private java.util.@Nullable List<Runnable> cancelListeners;

  private RunScope(Builder builder) {
    this.agentName = builder.agentName;
    this.runId = builder.runId;
    this.identity = builder.identity;
    this.perRunHeaders = builder.perRunHeaders;
    this.perServerHeaders =
        builder.perServerHeaders.isEmpty()
            ? Collections.emptyMap()
            : Collections.unmodifiableMap(new HashMap<>(builder.perServerHeaders));
    this.context = new IdentityHashMap<>(builder.context);
    this.contextView = Collections.unmodifiableMap(context);
    this.transportContext = McpTransportContext.create(Map.of(CONTEXT_KEY, this));
    this.input = builder.input != null ? builder.input : RunInput.none();
  }

  /** Returns the scope carried by {@code context}, or null for a context of no run. */
  public static @Nullable RunScope from(McpTransportContext context) {
    Object value = context.get(CONTEXT_KEY);
    return value instanceof RunScope ? (RunScope) value : null;
  }

  /** Returns the transport context to write into every Reactor call of this run. */
  public McpTransportContext transportContext() {
    return transportContext;
  }

  /** Marks the run cancelled: nothing more is sent for it; the cancel listeners run. */
  public void cancel() {
    cancelled = true;
    input.cancelPending();
    runCancelListeners();
  }

  /** Returns the run's side of elicitation: its input handler and the questions waiting. */
  public RunInput input() {
    return input;
  }

  /**
   * Runs {@code listener} when the run is cancelled, once, on the cancelling thread (at once when
   * it already is); the transports end the run's HTTP exchanges and tell the server with it.
   *
   * @return a handle whose {@code run()} unregisters the listener (cheap: called per request)
   */
  public Runnable onCancel(Runnable listener) {
    requireNonNull(listener, "listener");
    synchronized (this) {
      if (!cancelled) {
        if (cancelListeners == null) {
          cancelListeners = new java.util.ArrayList<>(2);
        }
        cancelListeners.add(listener);
        return () -> {
          synchronized (this) {
            if (cancelListeners != null) {
              cancelListeners.remove(listener);
            }
          }
        };
      }
    }
    listener.run();
    return () -> {};
  }

  private void runCancelListeners() {
    java.util.List<Runnable> toRun;
    synchronized (this) {
      toRun = cancelListeners;
      cancelListeners = null;
    }
    if (toRun != null) {
      for (Runnable listener : toRun) {
        listener.run();
      }
    }
  }

  /**
   * Returns a scope with this run's agent, id, identity, headers and context that is not cancelled:
   * the one {@code notifications/cancelled} is sent under, with the run's headers like any of its
   * requests, after the run itself was cancelled.
   */
  public RunScope forCancelNotice() {
    return new RunScope(this);
  }

  private RunScope(RunScope run) {
    this.agentName = run.agentName;
    this.runId = run.runId;
    this.identity = run.identity;
    this.perRunHeaders = run.perRunHeaders;
    this.perServerHeaders = run.perServerHeaders;
    this.context = run.context;
    this.contextView = run.contextView;
    this.transportContext = McpTransportContext.create(Map.of(CONTEXT_KEY, this));
    this.input = RunInput.none();
  }

  /**
   * Marks the run cancelled for {@code reason} (e.g. {@code "the runner was closed"}), which its
   * {@link RunCancelledException} names; a reason given earlier stays.
   */
  public void cancel(String reason) {
    if (cancelReason == null) {
      cancelReason = requireNonNull(reason, "reason");
    }
    cancel();
  }

  /** Returns whether the run was cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Throws when the run was cancelled: nothing more may be sent for it. */
  public void checkNotCancelled() {
    if (cancelled) {
      throw cancelledException();
    }
  }

  /** Returns the exception a cancelled run fails with, naming the reason when there is one. */
  public RunCancelledException cancelledException() {
    String reason = cancelReason;
    return reason == null
        ? new RunCancelledException(runId)
        : new RunCancelledException(runId, reason);
  }

  /** Records that provider {@code name} missed a request's deadline for this run. */
  void noteLateProvider(String name) {
    lateProvider = name;
  }

  /** Returns and forgets the provider that last missed a request's deadline for this run. */
  synchronized @Nullable String takeLateProvider() {
    String late = lateProvider;
    lateProvider = null;
    return late;
  }

  /**
   * Returns a builder of the scope of run {@code runId} of agent {@code agentName}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String agentName, String runId) {
    return new Builder(requireNonNull(agentName, "agentName"), requireNonNull(runId, "runId"));
  }

  /**
   * Returns the scope of requests that serve no single run (a shared session's own initialize,
   * notifications and close): run id {@code ""}, no identity, no headers, no context.
   */
  public static RunScope neutral(String agentName) {
    return builder(agentName, "").build();
  }

  /** Returns the name of the agent being run. */
  public String agentName() {
    return agentName;
  }

  /** Returns the run's id, or {@code ""} for a {@linkplain #neutral(String) neutral} scope. */
  public String runId() {
    return runId;
  }

  /** Returns the identity the run's MCP sessions belong to, if one was given. */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  /** Returns the per-run headers, applied to every server (layer 4). */
  public McpHeaders perRunHeaders() {
    return perRunHeaders;
  }

  /** Returns the per-run headers for server {@code serverName} (layer 5), empty if none. */
  public McpHeaders perServerHeaders(String serverName) {
    McpHeaders headers = perServerHeaders.get(requireNonNull(serverName, "serverName"));
    return headers == null ? McpHeaders.empty() : headers;
  }

  /** Returns the context value stored under {@code key}, if any. */
  public <T> Optional<T> context(ContextKey<T> key) {
    Object value = context.get(requireNonNull(key, "key"));
    return value == null ? Optional.empty() : Optional.of(key.type().cast(value));
  }

  /** Returns every context value, unmodifiable, keyed by identity of the keys. */
  public Map<ContextKey<?>, Object> contextValues() {
    return contextView;
  }

  /**
   * Returns {@code RunScope{agent=..., run=..., identity=set, perRunHeaders=[names],
   * perServerHeaders={server=[names]}, context=[key names]}}: header and context values are left
   * out, and so is the identity itself.
   */
  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder("RunScope{agent=").append(agentName).append(", run=").append(runId);
    out.append(", identity=").append(identity == null ? "none" : "set");
    out.append(", perRunHeaders=").append(namesOf(perRunHeaders));
    out.append(", perServerHeaders={");
    boolean first = true;
    for (Map.Entry<String, McpHeaders> entry : perServerHeaders.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      out.append(entry.getKey()).append('=').append(namesOf(entry.getValue()));
    }
    out.append("}, context=[");
    first = true;
    for (ContextKey<?> key : context.keySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      out.append(key.name());
    }
    return out.append("]}").toString();
  }

  private static String namesOf(McpHeaders headers) {
    StringBuilder out = new StringBuilder("[");
    for (String name : headers.names()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(name);
    }
    for (String name : headers.removedNames()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append('-').append(name);
    }
    return out.append(']').toString();
  }

  /** Builds a {@link RunScope}. Not thread-safe. */
  public static final class Builder {
    private final String agentName;
    private final String runId;
    private @Nullable String identity;
    private McpHeaders perRunHeaders = McpHeaders.empty();
    private final Map<String, McpHeaders> perServerHeaders = new HashMap<>();
    private final Map<ContextKey<?>, Object> context = new IdentityHashMap<>();
    private @Nullable RunInput input;

    private Builder(String agentName, String runId) {
      this.agentName = agentName;
      this.runId = runId;
    }

    /** Sets the identity the run's MCP sessions belong to; {@code null} for none. */
    public Builder identity(@Nullable String identity) {
      this.identity = identity;
      return this;
    }

    /** Sets the headers for every server of the run (layer 4), checked where they entered. */
    public Builder perRunHeaders(McpHeaders headers) {
      this.perRunHeaders = requireNonNull(headers, "headers");
      return this;
    }

    /**
     * Sets the headers of the run for server {@code serverName} only (layer 5), replacing earlier
     * ones for that server; checked where they entered.
     */
    public Builder perServerHeaders(String serverName, McpHeaders headers) {
      requireNonNull(serverName, "serverName");
      perServerHeaders.put(serverName, requireNonNull(headers, "headers"));
      return this;
    }

    /**
     * Puts a context value, replacing an earlier one under the same key.
     *
     * @throws ClassCastException if {@code value} is not an instance of the key's type
     */
    public <T> Builder context(ContextKey<T> key, T value) {
      requireNonNull(key, "key");
      context.put(key, key.type().cast(requireNonNull(value, "value")));
      return this;
    }

    /** Sets the run's side of elicitation; defaults to none (every question declined). */
    public Builder input(RunInput input) {
      this.input = requireNonNull(input, "input");
      return this;
    }

    /** Returns the scope; the builder stays usable. */
    public RunScope build() {
      return new RunScope(this);
    }
  }
}
