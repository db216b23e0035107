package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server an agent uses: its name and URL, the transport protocol, static headers (layer 2 of
 * the precedence chain, sent on every request to this server), timeouts, the session strategy and
 * pool bounds, a tool filter, and optionally which transport implementation to use.
 *
 * <pre>{@code
 * McpServerSpec crm = McpServerSpec.builder("crm", "https://crm.example.com/mcp")
 *     .headers(McpHeaders.of("X-Client", "support-bot"))
 *     .requestTimeout(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one spec serves every run. Agents of one runner that declare the
 * same server (name, URL, transport) with equal static headers, timeouts, session settings and
 * protocol share its pooled sessions; a spec that differs in any of these gets sessions of its own,
 * so every request carries the static headers and settings of the spec it was made for. The runner
 * keeps what it holds for each such spec (its session pool, its protocol state) until it is closed:
 * build specs once, not per user or tenant; a value that differs per user or tenant belongs in
 * per-run headers ({@code RunOptions}) or a header provider, which share one pool.
 */
public final class McpServerSpec {

  private final String name;
  private final URI uri;
  private final TransportKind transportKind;
  private final McpHeaders headers;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration initializeTimeout;
  private final SessionStrategy sessionStrategy;
  private final int maxSessions;
  private final Duration sessionIdleTimeout;
  private final Predicate<String> toolFilter;
  private final @Nullable String transport;
  private final McpProtocol protocol;
  private final boolean reissueLostRequests;
  private final int maxInputRounds;

  private McpServerSpec(Builder b) {
    this.name = b.name;
    this.uri = b.uri;
    this.transportKind = b.transportKind;
    this.headers = b.headers;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.initializeTimeout = b.initializeTimeout;
    this.sessionStrategy = b.sessionStrategy;
    this.maxSessions = b.maxSessions;
    this.sessionIdleTimeout = b.sessionIdleTimeout;
    this.toolFilter = b.toolFilter;
    this.transport = b.transport;
    this.protocol = b.protocol;
    this.reissueLostRequests = b.reissueLostRequests;
    this.maxInputRounds = b.maxInputRounds;
  }

  /**
   * Returns a builder for server {@code name} at {@code uri}.
   *
   * @param name the server's name, unique within an agent; used in errors, per-server run headers
   *     and provider contexts
   * @param uri the MCP endpoint (Streamable HTTP) or the SSE endpoint (legacy SSE), {@code http} or
   *     {@code https}
   * @throws IllegalArgumentException if the name is blank or the URL is not an absolute http(s) URL
   */
  public static Builder builder(String name, String uri) {
    return builder(name, URI.create(requireNonNull(uri, "uri")));
  }

  /**
   * Returns a builder for server {@code name} at {@code uri}; see {@link #builder(String, String)}.
   */
  public static Builder builder(String name, URI uri) {
    return new Builder(name, uri);
  }

  /** Returns the server's name. */
  public String name() {
    return name;
  }

  /** Returns the server's endpoint URI (the name {@link McpServerRef#uri()} uses too). */
  public URI uri() {
    return uri;
  }

  /** Returns the name and URL as a {@link McpServerRef}, as header providers see them. */
  public McpServerRef ref() {
    return new McpServerRef(name, uri);
  }

  /** Returns the transport protocol. */
  public TransportKind transportKind() {
    return transportKind;
  }

  /** Returns the static headers sent on every request to this server (layer 2). */
  public McpHeaders headers() {
    return headers;
  }

  /** Returns the TCP connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns the timeout of one MCP request (a tool call, a list). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Returns the timeout of the MCP initialize handshake. */
  public Duration initializeTimeout() {
    return initializeTimeout;
  }

  /** Returns how runs share sessions with this server. */
  public SessionStrategy sessionStrategy() {
    return sessionStrategy;
  }

  /** Returns the most sessions kept open with this server at once (per-identity pool bound). */
  public int maxSessions() {
    return maxSessions;
  }

  /** Returns how long an unused session is kept before it is closed (HTTP DELETE). */
  public Duration sessionIdleTimeout() {
    return sessionIdleTimeout;
  }

  /** Returns whether the agent may use the server's tool named {@code toolName}. */
  public boolean allowsTool(String toolName) {
    return toolFilter.test(toolName);
  }

  /**
   * Returns the name of the transport implementation chosen for this server ({@code "httpclient"},
   * {@code "okhttp"}), or empty to use the one found on the class path.
   */
  public Optional<String> transport() {
    return Optional.ofNullable(transport);
  }

  /**
   * Returns which MCP protocol revision the runner speaks with this server: {@link
   * McpProtocol#AUTO} unless set.
   */
  public McpProtocol protocol() {
    return protocol;
  }

  /**
   * Returns whether a stateless request (MCP 2026-07-28) whose response stream broke is sent again,
   * once, as a new request: {@code true} unless set.
   */
  public boolean reissueLostRequests() {
    return reissueLostRequests;
  }

  /**
   * Returns the most rounds of one stateless request (MCP 2026-07-28) that the server answers with
   * {@code input_required}: the first request and the retries carrying the answers. {@value
   * Builder#DEFAULT_MAX_INPUT_ROUNDS} unless set.
   */
  public int maxInputRounds() {
    return maxInputRounds;
  }

  /** Returns the builder with this spec's settings, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder(name, uri);
    b.transportKind = transportKind;
    b.headers = headers;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.initializeTimeout = initializeTimeout;
    b.sessionStrategy = sessionStrategy;
    b.maxSessions = maxSessions;
    b.sessionIdleTimeout = sessionIdleTimeout;
    b.toolFilter = toolFilter;
    b.transport = transport;
    b.protocol = protocol;
    b.reissueLostRequests = reissueLostRequests;
    b.maxInputRounds = maxInputRounds;
    return b;
  }

  /**
   * Returns {@code McpServerSpec{name=crm, uri=..., ...}}; static header values are redacted, and
   * so are the values of the URL's query ({@link McpServerRef#printable(URI)}).
   */
  @Override
  public String toString() {
    return "McpServerSpec{name="
        + name
        + ", uri="
        + McpServerRef.printable(uri)
        + ", transportKind="
        + transportKind
        + ", headers="
        + headers
        + ", sessionStrategy="
        + sessionStrategy
        + (transport == null ? "" : ", transport=" + transport)
        + "}";
  }

  /** Builds a {@link McpServerSpec}. Not thread-safe. */
  public static final class Builder {
    /** The default of {@link #maxInputRounds(int)}: the first request and three retries. */
    public static final int DEFAULT_MAX_INPUT_ROUNDS = 4;

    /** The largest value {@link #maxInputRounds(int)} accepts. */
    public static final int MAX_INPUT_ROUNDS_LIMIT = 32;

    private final String name;
    private final URI uri;
    private TransportKind transportKind = TransportKind.STREAMABLE_HTTP;
    private McpHeaders headers = McpHeaders.empty();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration initializeTimeout = Duration.ofSeconds(20);
    private SessionStrategy sessionStrategy = SessionStrategy.PER_IDENTITY;
    private int maxSessions = 1_000;
    private Duration sessionIdleTimeout = Duration.ofMinutes(5);
    private Predicate<String> toolFilter = tool -> true;
    private @Nullable String transport;
    private McpProtocol protocol = McpProtocol.AUTO;
    private boolean reissueLostRequests = true;
    private int maxInputRounds = DEFAULT_MAX_INPUT_ROUNDS;

    private Builder(String name, URI uri) {
      requireNonNull(name, "name");
      requireNonNull(uri, "uri");
      if (name.isBlank()) {
        throw new IllegalArgumentException("server name must not be blank");
      }
      String scheme = uri.getScheme();
      if (!uri.isAbsolute()
          || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "url of server '" + name + "' must be an absolute http or https URL with a host");
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "url of server '" + name + "' must not hold user info; use headers for credentials");
      }
      this.name = name;
      this.uri = uri;
    }

    /** Sets the transport protocol; defaults to {@link TransportKind#STREAMABLE_HTTP}. */
    public Builder transportKind(TransportKind transportKind) {
      this.transportKind = requireNonNull(transportKind, "transportKind");
      return this;
    }

    /**
     * Sets the static headers sent on every request to this server (layer 2 of the chain).
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder headers(McpHeaders headers) {
      requireNonNull(headers, "headers");
      this.headers = ProtectedHeaders.require(headers, "static headers of server '" + name + "'");
      return this;
    }

    /** Sets the TCP connect timeout; defaults to 10 seconds. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** Sets the timeout of one MCP request; defaults to 60 seconds. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** Sets the timeout of the initialize handshake; defaults to 20 seconds. */
    public Builder initializeTimeout(Duration initializeTimeout) {
      this.initializeTimeout = positive(initializeTimeout, "initializeTimeout");
      return this;
    }

    /** Sets how runs share sessions; defaults to {@link SessionStrategy#PER_IDENTITY}. */
    public Builder sessionStrategy(SessionStrategy sessionStrategy) {
      this.sessionStrategy = requireNonNull(sessionStrategy, "sessionStrategy");
      return this;
    }

    /**
     * Sets the most sessions kept open at once; the least recently used idle one is closed past it.
     * On a server that speaks MCP 2026-07-28 (stateless), which has no sessions, it bounds the
     * {@code private} tool lists kept per identity instead. Defaults to 1,000.
     */
    public Builder maxSessions(int maxSessions) {
      if (maxSessions <= 0) {
        throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
      }
      this.maxSessions = maxSessions;
      return this;
    }

    /**
     * Sets how long an unused session stays open; on a stateless server, how long an identity's
     * tool list is kept unused. Defaults to 5 minutes.
     */
    public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
      this.sessionIdleTimeout = positive(sessionIdleTimeout, "sessionIdleTimeout");
      return this;
    }

    /** Sets which of the server's tools the agent may use; defaults to all. */
    public Builder toolFilter(Predicate<String> toolFilter) {
      this.toolFilter = requireNonNull(toolFilter, "toolFilter");
      return this;
    }

    /**
     * Chooses the transport implementation by name ({@code "httpclient"}, {@code "okhttp"}); {@code
     * null} (the default) uses the one on the class path.
     */
    public Builder transport(@Nullable String transport) {
      this.transport = transport;
      return this;
    }

    /**
     * Chooses the MCP protocol revision for a Streamable HTTP server: {@link McpProtocol#AUTO} (the
     * default) finds out on first use and remembers it; {@link McpProtocol#STATELESS} speaks only
     * 2026-07-28; {@link McpProtocol#SESSIONS} only 2025-11-25 and older. Session strategy and pool
     * bounds apply to the session protocol only. Ignored for {@link TransportKind#SSE}.
     */
    public Builder protocol(McpProtocol protocol) {
      this.protocol = requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Sets what happens when the response stream of a stateless request (MCP 2026-07-28) breaks
     * before its response: that revision says the request is lost and the client re-issues it as a
     * new request, which the runner does once by default ({@code true}) and reports in the run's
     * events as {@link RunEvent.RequestReissued} (the tool may have run twice). Set {@code false}
     * for tools that must not run twice: the call then fails with an error saying the response was
     * lost and the request may have run. The session protocol never re-sends a request: it resumes
     * the answer stream with {@code Last-Event-ID}, or fails the same way.
     */
    public Builder reissueLostRequests(boolean reissueLostRequests) {
      this.reissueLostRequests = reissueLostRequests;
      return this;
    }

    /**
     * Sets the most rounds of one stateless request (MCP 2026-07-28) whose answer is {@code
     * input_required}: the server asks the run's user something, the runner sends the request again
     * with the answers, and so on. Past this many requests the call fails with an error naming the
     * server, the method, the tool and this bound. Defaults to {@value #DEFAULT_MAX_INPUT_ROUNDS}.
     * The session protocol has no rounds (a server asks with {@code elicitation/create} while the
     * call is open, answered on the same request), so the bound does not apply there.
     *
     * @param maxInputRounds from 1 (no retry with input) to {@value #MAX_INPUT_ROUNDS_LIMIT}
     * @throws IllegalArgumentException if it is outside that range
     */
    public Builder maxInputRounds(int maxInputRounds) {
      if (maxInputRounds < 1 || maxInputRounds > MAX_INPUT_ROUNDS_LIMIT) {
        throw new IllegalArgumentException(
            "maxInputRounds of server '"
                + name
                + "' must be between 1 and "
                + MAX_INPUT_ROUNDS_LIMIT
                + ", was "
                + maxInputRounds);
      }
      this.maxInputRounds = maxInputRounds;
      return this;
    }

    /** Returns the spec. */
    public McpServerSpec build() {
      return new McpServerSpec(this);
    }

    private static Duration positive(Duration value, String what) {
      requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
