package io.github.mcprunner.testkit;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MCP server for tests: the MCP Java SDK's own server transport on embedded Jetty 12,
 * listening on a free loopback port, that records every HTTP request it receives and lets a test
 * inject failures, delays, session expiry and calls that block until released.
 *
 * <pre>{@code
 * try (EmbeddedMcpServer server = EmbeddedMcpServer.builder()
 *     .mode(EmbeddedMcpServer.Mode.STATEFUL)
 *     .defaultTools()
 *     .start()) {
 *   // point the client under test at server.url() ...
 *   assertThat(server.requests())
 *       .filteredOn(r -> r.isToolCall("whoami"))
 *       .allSatisfy(r -> assertThat(r.header("X-Tenant-Id")).contains("acme"));
 * }
 * }</pre>
 *
 * <p>Default tools ({@link Builder#defaultTools()}), each answering from the HTTP request that
 * carried the call:
 *
 * <ul>
 *   <li>{@code whoami}: JSON {@code {"authorization", "userId", "tenantId", "sessionId"}} from the
 *       {@code Authorization}, {@code X-User-Id}, {@code X-Tenant-Id} headers and the session id
 *       (null when absent).
 *   <li>{@code echo_headers}: JSON object of every request header, lower-case names, several values
 *       joined with {@code ", "}.
 *   <li>{@code add {a, b}}: the sum, as text.
 *   <li>{@code list_tickets {status?}}: JSON {@code {"tenant", "tickets": [{"id", "title",
 *       "status"}]}}, three fake tickets ({@code <TENANT>-1..3}, two open, one closed) of the
 *       tenant in {@code X-Tenant-Id}; a tool error when that header is missing.
 *   <li>{@code big_text {bytes, unicode?}}: exactly {@code bytes} UTF-8 bytes of text (at most 64
 *       MiB), equal to {@link #bigText(int, boolean)}.
 *   <li>{@code progress {steps}}: sends {@code steps} log notifications, and as many progress
 *       notifications when the call carried a progress token, then answers {@code "completed N
 *       steps"}. In STATEFUL mode the response is then an SSE stream of several events; STATELESS
 *       mode answers plain JSON and drops the notifications.
 *   <li>{@code block}: waits until {@link #releaseBlocked()} or {@link #close()}, at most 30 s
 *       (then a tool error), and answers {@code "released"} or {@code "server stopped"}.
 *   <li>{@code confirm {question?}}: asks the client's user (elicitation, form mode) to confirm,
 *       with a form {@code {confirmed: boolean, note: string, default "none"}}, and answers JSON
 *       {@code {"userId", "action", "content"}}: the {@code X-User-Id} of the call and the answer
 *       as the server received it. STATEFUL and SSE modes; a tool error in STATELESS mode.
 *   <li>{@code open_url {url, elicitationId?}}: asks the client's user to open {@code url}
 *       (elicitation, URL mode); answers as {@code confirm}.
 * </ul>
 *
 * <p>Thread-safe. Jetty logs through SLF4J under {@code org.eclipse.jetty}: set that logger to WARN
 * in the test logging configuration to keep the output quiet.
 */
public final class EmbeddedMcpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMcpServer.class);
  private static final String HOST = "127.0.0.1";

  /** The MCP transport the server speaks. */
  public enum Mode {
    /** Streamable HTTP with sessions ({@code Mcp-Session-Id}); endpoint {@code /mcp}. */
    STATEFUL,
    /** Streamable HTTP without sessions, JSON responses only; endpoint {@code /mcp}. */
    STATELESS,
    /**
     * Legacy HTTP+SSE (protocol 2024-11-05): event stream at {@code /sse}, messages posted to
     * {@code /message?sessionId=...}.
     */
    SSE,
    /**
     * MCP 2026-07-28 only (the MCP SDK's {@code io.modelcontextprotocol.modern} server): no
     * session, no {@code initialize} (answered 400), no GET or DELETE (405); endpoint {@code /mcp}.
     * With {@link Builder#defaultTools()} it also has {@code region_echo {region, query?}} (its
     * {@code region} is annotated {@code x-mcp-header: Region}; answers {@code "region=R header=H"}
     * with the {@code Mcp-Param-Region} header as received) and {@code confirm {action?}} (asks for
     * a form elicitation with {@code input_required} first; on the retry answers {@code
     * "<elicitation action> <action> (state confirm:<action>)"}) and {@code confirm_n {count}}
     * (asks with {@code input_required} {@code count} times, then answers {@code "confirmed <count>
     * times"}).
     */
    MODERN,
    /**
     * Both revisions on one endpoint {@code /mcp}: a POST with {@code MCP-Protocol-Version:
     * 2026-07-28} is served as in {@link #MODERN}, everything else as in {@link #STATEFUL}.
     */
    DUAL
  }

  /** The tool list caching of {@link Mode#MODERN} and {@link Mode#DUAL}. */
  record ModernOptions(long listTtlMs, boolean listPublic, boolean extraTools) {}

  private final Mode mode;
  private final Server jetty;
  private final ServerState state;
  private final Runnable sdkServerCloser;
  private final java.util.function.Consumer<ToolSpec> toolAdder;
  private final Runnable toolsChanged;
  private final URI baseUri;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private EmbeddedMcpServer(
      Mode mode, Server jetty, ServerState state, SdkServers.Mounted sdk, URI baseUri) {
    this.mode = mode;
    this.toolAdder = sdk.toolAdder();
    this.toolsChanged = sdk.toolsChanged();
    this.jetty = jetty;
    this.state = state;
    this.sdkServerCloser = sdk.closer();
    this.baseUri = baseUri;
  }

  /** Returns a builder; the default mode is {@link Mode#STATEFUL} with no tools. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the text the {@code big_text} tool answers: exactly {@code bytes} UTF-8 bytes; with
   * {@code unicode}, the characters {@code "aé€😀"} (1, 2, 3 and 4 bytes) repeated, ending with
   * ASCII letters where the next character would not fit.
   */
  public static String bigText(int bytes, boolean unicode) {
    if (bytes < 0 || bytes > DefaultTools.MAX_BIG_TEXT_BYTES) {
      throw new IllegalArgumentException(
          "bytes must be between 0 and " + DefaultTools.MAX_BIG_TEXT_BYTES + ", was " + bytes);
    }
    return DefaultTools.bigText(bytes, unicode);
  }

  /** Returns the mode. */
  public Mode mode() {
    return mode;
  }

  /**
   * Returns the URL a client connects to: {@code http://127.0.0.1:PORT/mcp} for Streamable HTTP,
   * {@code http://127.0.0.1:PORT/sse} for legacy SSE.
   */
  public URI url() {
    return baseUri.resolve(mode == Mode.SSE ? SdkServers.SSE_PATH : SdkServers.MCP_PATH);
  }

  /** Returns {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return baseUri;
  }

  /** Returns the port the server listens on. */
  public int port() {
    return baseUri.getPort();
  }

  /**
   * Returns every HTTP request received so far, in arrival order, as an immutable snapshot: refused
   * ones (401, injected failures, expired sessions), GET streams and DELETEs included.
   */
  public List<RecordedRequest> requests() {
    return state.requests();
  }

  /**
   * Waits until a recorded request matches {@code matching}, for at most {@code timeout}, and
   * returns it (the earliest match). For requests a client sends in the background, such as the
   * DELETE of a closed session. The predicate sees the request as recorded at that moment: test
   * {@link RecordedRequest#status()} to wait for the answer too.
   *
   * @return the matching request, or empty if none arrived in time
   */
  public Optional<RecordedRequest> awaitRequest(
      Predicate<RecordedRequest> matching, Duration timeout) throws InterruptedException {
    return state.awaitRequest(
        requireNonNull(matching, "matching"), requireNonNull(timeout, "timeout"));
  }

  /**
   * Adds a tool while the server runs. In {@link Mode#STATEFUL} and {@link Mode#SSE} every
   * connected client is sent {@code notifications/tools/list_changed}; a stateless server has no
   * channel to tell clients, who see the tool on their next {@code tools/list}.
   */
  public void addTool(
      String name, String description, String inputSchemaJson, ToolHandler handler) {
    toolAdder.accept(
        new ToolSpec(
            requireNonNull(name, "name"),
            requireNonNull(description, "description"),
            requireNonNull(inputSchemaJson, "inputSchemaJson"),
            requireNonNull(handler, "handler")));
  }

  /**
   * Turns request recording on (the default) or off. Off, the server keeps no record of new
   * requests, so that long benchmarks do not fill memory; everything else behaves the same.
   */
  public void setRecording(boolean recording) {
    state.setRecording(recording);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    state.clearRequests();
  }

  /**
   * Forgets every session that exists now: their open event streams are closed and every later
   * request carrying one of their ids is answered 404. Sessions created later are not affected. In
   * SSE mode a session becomes known to the server with its first POST, and every open event stream
   * is closed. No effect in STATELESS mode.
   */
  public void expireSessions() {
    state.expireSessions(mode == Mode.SSE);
  }

  /**
   * Makes the server lose every session, now and later, at its first POST of {@code mcpMethod}
   * (e.g. {@code "tools/call"}): that request and every later one carrying the session's id are
   * answered 404, like a server that keeps forgetting its sessions. Sessions still open and work
   * until then, so a client that re-opens its session gets as far as {@code mcpMethod} again. Stays
   * on until the server stops; several methods can be set. No effect in STATELESS mode.
   */
  public void loseSessionsAt(String mcpMethod) {
    state.loseSessionsAt(requireNonNull(mcpMethod, "mcpMethod"));
  }

  /**
   * Closes every open event stream (the GET streams of Streamable HTTP sessions, the event streams
   * of legacy SSE sessions) without forgetting any session: a client may open a new stream of the
   * same session (with {@code Last-Event-ID} if it resumes). In SSE mode the session itself cannot
   * go on without its stream.
   */
  public void closeEventStreams() {
    state.closeStreams();
  }

  /**
   * Sends {@code notifications/tools/list_changed} to every connected client, on its event stream
   * (the GET stream in STATEFUL mode, the session's stream in SSE mode); an event with an id there.
   * No effect in STATELESS mode.
   */
  public void notifyToolsListChanged() {
    toolsChanged.run();
  }

  /**
   * Answers the next {@code count} POSTs with {@code httpStatus} before they reach the MCP server
   * (a 401 carries a {@code WWW-Authenticate} challenge); replaces an earlier plan.
   *
   * @throws IllegalArgumentException if {@code count} is negative or the status is not 400..599
   */
  public void failNextRequests(int count, int httpStatus) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be 400..599, was " + httpStatus);
    }
    state.failNextRequests(count, httpStatus);
  }

  /**
   * Waits {@code delay} before handling each POST (cut short when the server stops); {@link
   * Duration#ZERO} turns it off. Requests already waiting follow the new delay, counted from their
   * arrival, so setting {@link Duration#ZERO} releases them at once.
   */
  public void setRequestDelay(Duration delay) {
    requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    state.setRequestDelay(delay);
  }

  /** Releases every {@code block} call waiting now. */
  public void releaseBlocked() {
    state.releaseBlocked();
  }

  /** Returns how many {@code block} calls are waiting now. */
  public int blockedCalls() {
    return state.blockedCalls();
  }

  /**
   * Waits until at least {@code calls} {@code block} calls are waiting, for at most {@code
   * timeout}.
   *
   * @return whether that many calls were waiting in time
   */
  public boolean awaitBlockedCalls(int calls, Duration timeout) throws InterruptedException {
    return state.awaitBlockedCalls(calls, requireNonNull(timeout, "timeout"));
  }

  /** Stops the server: releases blocked calls, closes the MCP server and Jetty. Idempotent. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    state.stop();
    try {
      sdkServerCloser.run();
    } catch (RuntimeException e) {
      LOG.warn("Embedded MCP server on port {}: closing the MCP server failed", port(), e);
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("Embedded MCP server on port {}: stopping Jetty failed", port(), e);
    }
    LOG.debug("Embedded MCP server on port {} stopped", port());
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "EmbeddedMcpServer{mode=" + mode + ", url=" + url() + "}";
  }

  /** Builds and starts an {@link EmbeddedMcpServer}. Not thread-safe. */
  public static final class Builder {
    private Mode mode = Mode.STATEFUL;
    private boolean defaultTools;
    private final List<ToolSpec> tools = new ArrayList<>();
    private @Nullable Predicate<String> acceptsToken;
    private final List<URI> authorizationServers = new ArrayList<>();
    private long listTtlMs;
    private boolean listPublic;

    private Builder() {}

    /**
     * Sets what the {@code tools/list} results of {@link Mode#MODERN} and {@link Mode#DUAL} say
     * about caching: {@code ttlMs} and {@code cacheScope} ({@code public} when {@code shared}, else
     * {@code private}). Defaults to {@code ttlMs: 0}, {@code private}.
     */
    public Builder toolListCaching(Duration ttl, boolean shared) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative");
      }
      this.listTtlMs = ttl.toMillis();
      this.listPublic = shared;
      return this;
    }

    /** Sets the transport mode; defaults to {@link Mode#STATEFUL}. */
    public Builder mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Adds the default tools: {@code whoami}, {@code echo_headers}, {@code add}, {@code
     * list_tickets}, {@code big_text}, {@code progress}, {@code block} (see {@link
     * EmbeddedMcpServer}).
     */
    public Builder defaultTools() {
      this.defaultTools = true;
      return this;
    }

    /**
     * Adds a tool.
     *
     * @param name the tool's name, unique on this server
     * @param description what the tool does, for the model
     * @param inputSchemaJson the JSON schema of the tool's arguments, as JSON text
     * @param handler the tool's code
     * @throws IllegalArgumentException if a tool of that name was already added
     */
    public Builder tool(
        String name, String description, String inputSchemaJson, ToolHandler handler) {
      requireNonNull(name, "name");
      for (ToolSpec tool : tools) {
        if (tool.name().equals(name)) {
          throw new IllegalArgumentException("a tool named '" + name + "' was already added");
        }
      }
      tools.add(
          new ToolSpec(
              name,
              requireNonNull(description, "description"),
              requireNonNull(inputSchemaJson, "inputSchemaJson"),
              requireNonNull(handler, "handler")));
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every MCP request, accepted when {@code
     * acceptsToken} returns true for the token. Any other request is answered 401 with {@code
     * WWW-Authenticate: Bearer error="invalid_token",
     * resource_metadata="<base>/.well-known/oauth-protected-resource"} ({@code error} left out when
     * no bearer token was sent at all, per RFC 6750), and recorded. The metadata document is served
     * at that address without authentication.
     */
    public Builder requireBearerToken(Predicate<String> acceptsToken) {
      this.acceptsToken = requireNonNull(acceptsToken, "acceptsToken");
      return this;
    }

    /**
     * Adds an authorization server listed in the protected resource metadata (only served with
     * {@link #requireBearerToken(Predicate)}).
     */
    public Builder authorizationServer(URI issuer) {
      authorizationServers.add(requireNonNull(issuer, "issuer"));
      return this;
    }

    /**
     * Starts the server on a free port of 127.0.0.1.
     *
     * @throws IllegalArgumentException if a tool's name clashes with a default tool's
     * @throws IllegalStateException if Jetty fails to start
     */
    public EmbeddedMcpServer start() {
      McpJsonMapper jsonMapper = McpJsonDefaults.getMapper();
      ServerState state = new ServerState();
      List<ToolSpec> allTools = new ArrayList<>();
      if (defaultTools) {
        allTools.addAll(DefaultTools.create(state, jsonMapper));
      }
      Set<String> names = new HashSet<>();
      allTools.forEach(tool -> names.add(tool.name()));
      for (ToolSpec tool : tools) {
        if (!names.add(tool.name())) {
          throw new IllegalArgumentException(
              "tool '" + tool.name() + "' clashes with a default tool of the same name");
        }
        allTools.add(tool);
      }

      QueuedThreadPool threads = new QueuedThreadPool();
      threads.setName("embedded-mcp");
      threads.setDaemon(true);
      Server jetty = new Server(threads);
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost(HOST);
      connector.setPort(0);
      connector.setIdleTimeout(Duration.ofMinutes(2).toMillis());
      jetty.addConnector(connector);

      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      URI[] base = new URI[1];
      Mode chosenMode = mode;
      FilterHolder filter =
          new FilterHolder(
              new RecordingFilter(
                  state,
                  chosenMode,
                  jsonMapper,
                  acceptsToken,
                  () -> base[0] + ProtectedResourceMetadataServlet.PATH));
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      SdkServers.Mounted sdk =
          SdkServers.mount(
              chosenMode,
              allTools,
              jsonMapper,
              context,
              new ModernOptions(listTtlMs, listPublic, defaultTools));
      if (acceptsToken != null) {
        ServletHolder metadata =
            new ServletHolder(
                new ProtectedResourceMetadataServlet(
                    jsonMapper,
                    () ->
                        base[0].resolve(
                            chosenMode == Mode.SSE ? SdkServers.SSE_PATH : SdkServers.MCP_PATH),
                    authorizationServers));
        context.addServlet(metadata, ProtectedResourceMetadataServlet.PATH);
        context.addServlet(metadata, ProtectedResourceMetadataServlet.PATH + "/*");
      }
      jetty.setHandler(context);
      try {
        jetty.start();
      } catch (Exception e) {
        sdk.closer().run();
        try {
          jetty.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new IllegalStateException("embedded MCP server failed to start on " + HOST, e);
      }
      base[0] = URI.create("http://" + HOST + ":" + connector.getLocalPort());
      EmbeddedMcpServer server = new EmbeddedMcpServer(chosenMode, jetty, state, sdk, base[0]);
      LOG.info("Embedded MCP server ({}) listening on {}", chosenMode, server.url());
      return server;
    }
  }
}
