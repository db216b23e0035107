package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.internal.http.StreamableHttpClientTransport;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.observe.McpSessionObservation;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One MCP client session with one server for one identity (or shared, or one run). Initialised
 * explicitly with the session's own scope, so that the SDK's lazy initialise never borrows a
 * caller's context; counts its users so that an evicted session closes (HTTP DELETE) only when its
 * last run lets go. Not public API.
 */
final class McpSession {
  private static final Logger log = LoggerFactory.getLogger(McpSession.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String key;
  private final McpServerSpec server;
  private final McpAsyncClient client;
  private final SessionHeaderSource headers;
  private final SessionTrackingTransport transport;
  private final CancellingTransport cancelling;
  // The transport factory's own transport, under the runner's wrappers: it knows the session id.
  private final McpClientTransport created;
  private final McpJsonMapper jsonMapper;
  private final Observation observation;
  private volatile McpSessionObservation observed = McpSessionObservation.NOOP;
  // Converted to the model's definitions once per listing, not once per run.
  private volatile @Nullable List<ToolDefinition> tools;

  // The runs holding the session now: a question without correlation may go to the only one.
  private final Set<RunScope> runs = ConcurrentHashMap.newKeySet();

  private int users;
  private boolean retired;
  private boolean closed;
  private @Nullable Mono<Void> closing;

  private McpSession(
      String key,
      McpServerSpec server,
      McpAsyncClient client,
      SessionHeaderSource headers,
      SessionTrackingTransport transport,
      CancellingTransport cancelling,
      McpClientTransport created,
      McpJsonMapper jsonMapper,
      Observation observation) {
    this.cancelling = cancelling;
    this.observation = observation;
    this.created = created;
    this.key = key;
    this.transport = transport;
    this.jsonMapper = jsonMapper;
    this.server = server;
    this.client = client;
    this.headers = headers;
  }

  /** Creates the session and starts its initialize handshake. */
  static CompletableFuture<McpSession> open(
      String key,
      McpServerSpec server,
      McpTransportFactory factory,
      HeaderChain chain,
      RunScope sessionScope,
      McpJsonMapper jsonMapper,
      Observation observation) {
    SessionHeaderSource headers = new SessionHeaderSource(chain, server, sessionScope);
    McpClientTransport created =
        factory.create(
            new TransportSettings(
                server.ref(),
                server.transportKind(),
                server.connectTimeout(),
                server.requestTimeout(),
                headers,
                jsonMapper));
    McpSession[] self = new McpSession[1];
    CancellingTransport cancelling =
        new CancellingTransport(
            new VerbatimArgumentsTransport(observation.transport(created)), server.name());
    SessionTrackingTransport transport =
        new SessionTrackingTransport(
            new ElicitationTransport(
                cancelling,
                server,
                jsonMapper,
                () -> {
                  McpSession session = self[0];
                  return session == null ? null : session.soleRun();
                }));
    McpClient.AsyncSpec spec = McpClient.async(transport);
    if (sessionScope.input().declaresCapability()) {
      // Questions are routed by ElicitationTransport before the SDK sees them; the SDK insists on
      // handlers when the capability is declared, so these decline what would slip through.
      spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation(true, true).build())
          .elicitation(request -> Mono.just(declined()))
          .urlElicitation(request -> Mono.just(declined()))
          .elicitationCompleteConsumer(notification -> Mono.empty());
    }
    McpAsyncClient client =
        spec.requestTimeout(server.requestTimeout())
            .initializationTimeout(server.initializeTimeout())
            .clientInfo(new McpSchema.Implementation("mcp-runner", Version.VERSION))
            .toolsChangeConsumer(
                changed -> {
                  McpSession session = self[0];
                  if (session != null) {
                    session.tools = definitions(server, changed, jsonMapper);
                  }
                  return Mono.empty();
                })
            .build();
    McpSession session =
        new McpSession(
            key, server, client, headers, transport, cancelling, created, jsonMapper, observation);
    self[0] = session;
    return observation
        .initialize(sessionScope, server, client.initialize())
        // An empty context: the session's own scope resolves the initialize headers.
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
        .toFuture()
        .handle(
            (result, error) -> {
              if (error != null) {
                client.close();
                throw error instanceof RuntimeException
                    ? (RuntimeException) error
                    : new java.util.concurrent.CompletionException(error);
              }
              headers.opened();
              session.observed = observation.sessionOpened(server, client);
              return session;
            });
  }

  /**
   * Returns the {@code Mcp-Session-Id} the server gave this session, when the transport is the
   * runner's Streamable HTTP client (a legacy HTTP+SSE or custom transport does not tell it).
   */
  @Nullable String sessionId() {
    return created instanceof StreamableHttpClientTransport
        ? ((StreamableHttpClientTransport) created).currentSessionId()
        : null;
  }

  private static McpSchema.ElicitResult declined() {
    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
  }

  /** Notes that {@code run} holds the session (questions without correlation may go to it). */
  void attach(RunScope run) {
    runs.add(run);
  }

  /**
   * Notes that {@code run} let go of the session; its requests that never got an answer are
   * forgotten.
   */
  void detach(RunScope run) {
    runs.remove(run);
    cancelling.forgetRun(run);
  }

  /**
   * Returns the run a question without correlation goes to: the only run holding a session of one
   * identity (or of one run); null under {@code SHARED} or when there are none or several.
   */
  @Nullable RunScope soleRun() {
    if (server.sessionStrategy() == io.github.mcprunner.SessionStrategy.SHARED) {
      return null;
    }
    Object[] holding = runs.toArray();
    return holding.length == 1 ? (RunScope) holding[0] : null;
  }

  /** Returns the number of requests of runs waiting for an answer (for tests). */
  int waitingRequests() {
    return cancelling.waitingRequests();
  }

  /** Returns whether the server reported this session as gone (HTTP 404). */
  boolean sessionLost() {
    return transport.sessionLost();
  }

  String key() {
    return key;
  }

  McpServerSpec server() {
    return server;
  }

  McpAsyncClient client() {
    return client;
  }

  SessionHeaderSource headers() {
    return headers;
  }

  /** Returns the cached tool list, or null when it must be (re)listed. */
  @Nullable List<ToolDefinition> cachedTools() {
    return tools;
  }

  /** Lists the server's tools (every page) under {@code context}, and caches them. */
  Mono<List<ToolDefinition>> listTools(McpTransportContext context) {
    List<ToolDefinition> cached = tools;
    if (cached != null) {
      return Mono.just(cached);
    }
    McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
    if (capabilities != null && capabilities.tools() == null) {
      // The server did not offer tools at initialize: the spec says not to ask (the SDK refuses).
      List<ToolDefinition> none = List.of();
      tools = none;
      return Mono.just(none);
    }
    List<McpSchema.Tool> all = new ArrayList<>();
    return observation
        .listTools(client, null)
        .expand(
            page ->
                page.nextCursor() == null || page.nextCursor().isEmpty()
                    ? Mono.empty()
                    : observation.listTools(client, page.nextCursor()))
        .doOnNext(page -> all.addAll(page.tools()))
        .then(Mono.fromSupplier(() -> definitions(server, all, jsonMapper)))
        .doOnNext(list -> tools = list)
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context));
  }

  /** Calls a tool; the run's observers may add {@code _meta} entries (trace context). */
  Mono<McpSchema.CallToolResult> callTool(McpSchema.CallToolRequest request) {
    return observation.callTool(client, request);
  }

  /** The tools the spec allows, as the model sees them (schema passed through as JSON text). */
  private static List<ToolDefinition> definitions(
      McpServerSpec server, List<McpSchema.Tool> tools, McpJsonMapper jsonMapper) {
    List<ToolDefinition> kept = new ArrayList<>();
    for (McpSchema.Tool tool : tools) {
      if (!server.allowsTool(tool.name())) {
        continue;
      }
      String schema;
      try {
        schema =
            tool.inputSchema() == null
                ? "{\"type\":\"object\"}"
                : jsonMapper.writeValueAsString(tool.inputSchema());
      } catch (java.io.IOException e) {
        throw new io.github.mcprunner.McpServerException(
            server.name(),
            server.uri(),
            "listed tool '" + tool.name() + "' with an unreadable schema",
            e);
      }
      kept.add(
          new ToolDefinition(
              tool.name(), tool.description() == null ? "" : tool.description(), schema));
    }
    return List.copyOf(kept);
  }

  /** Takes the session for one run; false when it was retired or closed meanwhile. */
  synchronized boolean tryAcquire() {
    if (retired || closed) {
      return false;
    }
    users++;
    return true;
  }

  /** Lets go of the session; closes it when it was retired and this was its last user. */
  void release() {
    boolean closeNow;
    synchronized (this) {
      users--;
      closeNow = retired && users == 0 && !closed;
    }
    if (closeNow) {
      close().subscribe();
    }
  }

  /** Marks the session as no longer for new runs; closes it at once when nobody uses it. */
  void retire() {
    boolean closeNow;
    synchronized (this) {
      retired = true;
      closeNow = users == 0 && !closed;
    }
    if (closeNow) {
      close().subscribe();
    }
  }

  /** Closes the session gracefully (HTTP DELETE of the session), once; errors are logged. */
  synchronized Mono<Void> close() {
    if (closing == null) {
      closed = true;
      observed.sessionClosed();
      closing =
          client
              .closeGracefully()
              .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
              .timeout(CLOSE_TIMEOUT)
              .onErrorResume(
                  e -> {
                    log.debug(
                        "Closing the MCP session with server '{}' failed ({})",
                        server.name(),
                        e.getClass().getSimpleName());
                    client.close();
                    return Mono.empty();
                  })
              .cache();
    }
    return closing;
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
