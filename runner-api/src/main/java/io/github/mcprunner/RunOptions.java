package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * What is particular to one run: its HTTP headers for the MCP servers (layers 4 and 5 of the
 * precedence chain), context values for header providers, the session identity, a bound on turns
 * and a cancellation.
 *
 * <pre>{@code
 * RunOptions options = RunOptions.builder()
 *     .mcpHeaders(McpHeaders.of("Authorization", "Bearer " + userToken, "X-User-Id", userId))
 *     .mcpHeaders("billing", McpHeaders.of("X-Billing-Account", account))
 *     .context(ContextKey.TENANT_ID, tenantId)
 *     .build();
 * }</pre>
 *
 * <p>Per-run headers are sent as they are. A credential that a provider must <em>transform</em> (a
 * user token to exchange for a server-specific one) belongs in the context ({@link
 * ContextKey#SUBJECT_TOKEN}), never in the headers: passing it as a header would send the user's
 * own token to the MCP server.
 *
 * <p>Immutable and thread-safe. {@link #toString()} prints no header or context value.
 */
public final class RunOptions {

  private static final RunOptions DEFAULTS = new Builder().build();

  private final McpHeaders mcpHeaders;
  private final Map<String, McpHeaders> perServerHeaders;
  private final Map<ContextKey<?>, Object> context;
  private final @Nullable String identity;
  private final int maxTurns;
  private final @Nullable RunCancellation cancellation;
  private final @Nullable InputHandler inputHandler;
  private final @Nullable Duration inputTimeout;

  private RunOptions(Builder b) {
    this.mcpHeaders = b.mcpHeaders;
    this.perServerHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.perServerHeaders));
    this.context = Collections.unmodifiableMap(new IdentityHashMap<>(b.context));
    this.identity = b.identity;
    this.maxTurns = b.maxTurns;
    this.cancellation = b.cancellation;
    this.inputHandler = b.inputHandler;
    this.inputTimeout = b.inputTimeout;
  }

  /** Returns options with nothing set: the run uses static headers and providers only. */
  public static RunOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the headers for every MCP server of the run (layer 4). */
  public McpHeaders mcpHeaders() {
    return mcpHeaders;
  }

  /** Returns the headers for server {@code serverName} only (layer 5); empty if none. */
  public McpHeaders mcpHeaders(String serverName) {
    requireNonNull(serverName, "serverName");
    McpHeaders headers = perServerHeaders.get(serverName);
    return headers == null ? McpHeaders.empty() : headers;
  }

  /** Returns the per-server headers (layer 5) by server name. */
  public Map<String, McpHeaders> perServerHeaders() {
    return perServerHeaders;
  }

  /** Returns the context value stored under {@code key}, if any. */
  public <T> Optional<T> context(ContextKey<T> key) {
    requireNonNull(key, "key");
    return Optional.ofNullable(key.type().cast(context.get(key)));
  }

  /** Returns every context value, keyed by identity of the {@link ContextKey}. */
  public Map<ContextKey<?>, Object> contextValues() {
    return context;
  }

  /** Returns the explicit session identity, if set. */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  /** Returns the bound on model turns for this run, if it overrides the agent's. */
  public OptionalInt maxTurns() {
    return maxTurns > 0 ? OptionalInt.of(maxTurns) : OptionalInt.empty();
  }

  /** Returns the cancellation, if set. */
  public Optional<RunCancellation> cancellation() {
    return Optional.ofNullable(cancellation);
  }

  /** Returns the run's own input handler, if set (else the runner's default applies). */
  public Optional<InputHandler> inputHandler() {
    return Optional.ofNullable(inputHandler);
  }

  /** Returns the run's own bound on the wait for an input answer, if set. */
  public Optional<Duration> inputTimeout() {
    return Optional.ofNullable(inputTimeout);
  }

  /** Returns a summary with header names only: no header value, no context value. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("RunOptions{mcpHeaders=").append(mcpHeaders.names());
    perServerHeaders.forEach(
        (server, headers) ->
            out.append(", mcpHeaders[").append(server).append("]=").append(headers.names()));
    out.append(", context=");
    StringBuilder keys = new StringBuilder("[");
    for (ContextKey<?> key : context.keySet()) {
      keys.append(keys.length() > 1 ? ", " : "").append(key.name());
    }
    out.append(keys).append(']');
    if (identity != null) {
      out.append(", identity set");
    }
    if (inputHandler != null) {
      out.append(", inputHandler set");
    }
    return out.append('}').toString();
  }

  /** Builds {@link RunOptions}. Not thread-safe. */
  public static final class Builder {
    private McpHeaders mcpHeaders = McpHeaders.empty();
    private final Map<String, McpHeaders> perServerHeaders = new LinkedHashMap<>();
    private final Map<ContextKey<?>, Object> context = new IdentityHashMap<>();
    private @Nullable String identity;
    private int maxTurns;
    private @Nullable RunCancellation cancellation;
    private @Nullable InputHandler inputHandler;
    private @Nullable Duration inputTimeout;

    private Builder() {}

    /**
     * Sets the headers sent to every MCP server of the run (layer 4): they win over runner
     * defaults, static server headers and providers. Replaces headers set by an earlier call.
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected (the
     *     message names it, never its value)
     */
    public Builder mcpHeaders(McpHeaders headers) {
      requireNonNull(headers, "headers");
      this.mcpHeaders = ProtectedHeaders.require(headers, "per-run headers");
      return this;
    }

    /**
     * Sets the headers sent to server {@code serverName} only (layer 5): they win over every other
     * layer for that server.
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder mcpHeaders(String serverName, McpHeaders headers) {
      requireNonNull(serverName, "serverName");
      requireNonNull(headers, "headers");
      perServerHeaders.put(
          serverName,
          ProtectedHeaders.require(headers, "per-run headers for server '" + serverName + "'"));
      return this;
    }

    /**
     * Puts a context value that header providers read ({@code HeaderContext.get(key)}); context
     * values are never sent as headers by the runner itself.
     */
    public <T> Builder context(ContextKey<T> key, T value) {
      requireNonNull(key, "key");
      requireNonNull(value, () -> "value for context key '" + key.name() + "'");
      context.put(key, key.type().cast(value));
      return this;
    }

    /**
     * Sets the identity whose MCP sessions the run uses under {@link SessionStrategy#PER_IDENTITY}.
     * Without it, the identity is derived from the run's user id and tenant id context values, else
     * from its per-run headers and subject token.
     */
    public Builder identity(String identity) {
      requireNonNull(identity, "identity");
      if (identity.isEmpty()) {
        throw new IllegalArgumentException("identity must not be empty");
      }
      this.identity = identity;
      return this;
    }

    /** Bounds the model turns of this run, overriding the agent's bound. */
    public Builder maxTurns(int maxTurns) {
      if (maxTurns <= 0) {
        throw new IllegalArgumentException("maxTurns must be positive, was " + maxTurns);
      }
      this.maxTurns = maxTurns;
      return this;
    }

    /** Sets the cancellation that can stop the run. */
    public Builder cancellation(RunCancellation cancellation) {
      this.cancellation = requireNonNull(cancellation, "cancellation");
      return this;
    }

    /**
     * Sets the handler that answers the MCP servers' questions to this run's user (elicitation),
     * instead of the runner's default. Questions of other runs never reach it.
     */
    public Builder inputHandler(InputHandler handler) {
      this.inputHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Bounds the wait for each answer of the input handler; when it passes, the server is told
     * {@code cancel}. Defaults to the runner's setting ({@link InputHandler#DEFAULT_TIMEOUT}). A
     * question that waits longer than the server's request timeout fails the tool call, so raise
     * that too ({@link McpServerSpec.Builder#requestTimeout}).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder inputTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("inputTimeout must be positive, was " + timeout);
      }
      this.inputTimeout = timeout;
      return this;
    }

    /** Returns the options. */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
