package io.github.mcprunner.core.internal.http;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.core.spi.http.StreamableHttpTransports;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * MCP Streamable HTTP client transport over a transport module's {@link McpHttpClient}; what it
 * does is described on {@code StreamableHttpTransports}.
 *
 * <p>This class holds the session (its id, the negotiated protocol version, the calls in flight)
 * and the DELETE that ends it; the two other state machines have their own classes: {@link
 * PostExchange} (one POSTed message until its outcome, resumed with {@code Last-Event-ID} when its
 * answer stream ends early) and {@link EventStream} (the standalone GET stream). Every request's
 * protocol headers come from {@link ProtocolHeaders}, and its resolved headers from one call of the
 * runner's chain ({@link #newCall}).
 *
 * <p>Every HTTP call runs as one blocking task on the executor. A POST answered with SSE completes
 * its {@link #sendMessage} only when the response to its request arrived: a stream that ends
 * without it is resumed (SEP-1699) or fails the call at once, instead of leaving it to the request
 * timeout. Waits (a server's {@code retry}, back-off, deadlines) come from an injected {@link
 * Delays}, which hands the task to the executor; no thread waits. Not public API.
 */
public final class StreamableHttpClientTransport implements McpClientTransport {
  static final Logger log = LoggerFactory.getLogger(StreamableHttpClientTransport.class);

  private static final List<String> PROTOCOL_VERSIONS =
      List.of(
          ProtocolVersions.MCP_2025_03_26,
          ProtocolVersions.MCP_2025_06_18,
          ProtocolVersions.MCP_2025_11_25);
  private static final String LATEST_VERSION = ProtocolVersions.MCP_2025_11_25;
  private static final String EVENT_STREAM = "text/event-stream";
  private static final String JSON = "application/json";

  /** The wait before resuming an answer stream when the server gave no {@code retry}. */
  public static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

  /**
   * The largest JSON body, SSE event (its data) or SSE line read from a server, in bytes (16 MiB):
   * beyond it the request fails, so a hostile or broken server cannot exhaust the memory.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /** Resumptions of one answer stream in a row that bring no message, before the call fails. */
  static final int MAX_RESUMPTIONS = StreamableHttpTransports.MAX_RESUMPTIONS;

  static final int MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS = 3;
  static final Duration FIRST_STREAM_RETRY_DELAY = Duration.ofMillis(200);

  final TransportSettings settings;
  final McpHttpClient http;
  final Executor executor;
  final Delays delays;
  final URI uri;
  final String serverName;
  private final AtomicReference<
          @Nullable Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>>>
      handler = new AtomicReference<>();
  final AtomicReference<@Nullable String> sessionId = new AtomicReference<>();
  final AtomicReference<@Nullable String> streamStartedFor = new AtomicReference<>();
  final Set<McpHttpCall> calls = ConcurrentHashMap.newKeySet();
  volatile String protocolVersion = LATEST_VERSION;
  volatile boolean closed;

  public StreamableHttpClientTransport(
      TransportSettings settings, McpHttpClient http, Executor executor) {
    this(settings, http, executor, Delays.SYSTEM);
  }

  StreamableHttpClientTransport(
      TransportSettings settings, McpHttpClient http, Executor executor, Delays delays) {
    this.delays = delays;
    this.settings = settings;
    this.http = http;
    this.executor = executor;
    this.uri = settings.server().uri();
    this.serverName = settings.server().name();
  }

  /**
   * Returns the {@code Mcp-Session-Id} the server gave this session, or null before it gave one (or
   * when it gives none). For observers: an id, never a header value.
   */
  public @Nullable String currentSessionId() {
    return sessionId.get();
  }

  @Override
  public List<String> protocolVersions() {
    return PROTOCOL_VERSIONS;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.fromRunnable(() -> this.handler.set(handler));
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    // Failures reach the caller of the failed operation; the SDK's re-initialisation on a lost
    // session is left to the runner, which opens a new session itself.
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return settings.jsonMapper().convertValue(data, typeRef);
  }

  // ---- POST

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.deferContextual(
        ctx -> {
          if (closed) {
            return Mono.error(closedError());
          }
          McpTransportContext context =
              ctx.<McpTransportContext>getOrEmpty(McpTransportContext.KEY)
                  .orElse(McpTransportContext.EMPTY);
          String negotiated = ctx.getOrDefault(McpAsyncClient.NEGOTIATED_PROTOCOL_VERSION, null);
          if (negotiated != null) {
            protocolVersion = negotiated;
          }
          String body;
          try {
            body = settings.jsonMapper().writeValueAsString(message);
          } catch (IOException e) {
            return Mono.error(
                new McpTransportException("Could not serialise a JSON-RPC message", e));
          }
          String session = sessionId.get();
          Map<String, String> headers =
              ProtocolHeaders.post(negotiated != null ? negotiated : protocolVersion, session);
          return Mono.<Void>create(
              sink -> {
                PostExchange exchange =
                    new PostExchange(this, message, session, context, ctx, sink);
                // The SDK (2.1.0) drops its subscription to sendMessage, so this cancel hook does
                // not fire on its request timeout: the exchange's own deadline ends the call then.
                sink.onCancel(exchange::cancel);
                exchange.armDeadline();
                exchange.endOnRunCancel();
                try {
                  executor.execute(() -> exchange.post(headers, body));
                } catch (RejectedExecutionException e) {
                  exchange.fail(
                      new McpTransportException("The transport's executor refused the request", e));
                }
              });
        });
  }

  // ---- the standalone GET event stream

  void startEventStream(McpTransportContext context, ContextView ctx) {
    String session = sessionId.get();
    String key = session == null ? "" : session;
    if (closed || key.equals(streamStartedFor.getAndSet(key))) {
      return;
    }
    new EventStream(this, session, context, ctx).open();
  }

  // ---- shared

  /**
   * Resolves the headers of one request, once, through the runner's precedence chain (for the run
   * {@code context} belongs to), and returns the HTTP client's call carrying them, final. Throws
   * what resolution throws (a failing provider, a cancelled run): then nothing is sent.
   */
  McpHttpCall newCall(
      String httpMethod,
      @Nullable String mcpMethod,
      @Nullable String toolName,
      Map<String, String> protocolHeaders,
      @Nullable String body,
      McpTransportContext context,
      boolean eventStream) {
    OutgoingRequest request = new OutgoingRequest(httpMethod, uri, mcpMethod, toolName);
    McpHeaders headers = settings.headers().headersFor(request, context);
    return http.newCall(new McpHttpRequest(request, protocolHeaders, headers, body, eventStream));
  }

  /**
   * Runs {@code task} on the executor after {@code delay}, as the injected {@link Delays} time it
   * (no thread waits); {@code rejected} runs when the executor refuses it.
   */
  void schedule(Duration delay, Runnable task, Runnable rejected) {
    delays.schedule(
        delay,
        () -> {
          try {
            executor.execute(task);
          } catch (RejectedExecutionException e) {
            rejected.run();
          }
        });
  }

  void deliver(McpSchema.JSONRPCMessage message, ContextView ctx) {
    Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> current =
        handler.get();
    if (current == null) {
      log.debug("Message from MCP server '{}' before connect: dropped", serverName);
      return;
    }
    current
        .apply(Mono.just(message))
        .contextWrite(ctx)
        .subscribe(
            ignored -> {},
            error ->
                log.debug(
                    "Handling a message of MCP server '{}' failed ({})",
                    serverName,
                    error.getClass().getSimpleName()));
  }

  McpTransportException closedError() {
    return new McpTransportException("The MCP transport for server '" + serverName + "' is closed");
  }

  /** Returns the exception for an error status answering {@code httpMethod}. */
  static RuntimeException statusError(
      McpHttpResponse response, String httpMethod, boolean hadSession) {
    return TransportHttpException.forStatus(
        response.status(), httpMethod, response.header("WWW-Authenticate"), hadSession);
  }

  static String mediaType(McpHttpResponse response) {
    String type = response.header(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** Reads a JSON body of at most {@link #MAX_MESSAGE_BYTES}. */
  static String readText(InputStream body) throws IOException {
    return readText(body, MAX_MESSAGE_BYTES);
  }

  static String readText(InputStream body, int maxBytes) throws IOException {
    try (body) {
      byte[] bytes = body.readNBytes(maxBytes);
      if (bytes.length == maxBytes && body.read() >= 0) {
        throw new ResponseTooLargeException("JSON body", maxBytes);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.deferContextual(
        ctx -> {
          if (closed) {
            return Mono.empty();
          }
          closed = true;
          String session = sessionId.getAndSet(null);
          if (session == null) {
            cancelCalls();
            return Mono.empty();
          }
          McpTransportContext context =
              ctx.<McpTransportContext>getOrEmpty(McpTransportContext.KEY)
                  .orElse(McpTransportContext.EMPTY);
          Map<String, String> headers = ProtocolHeaders.delete(protocolVersion, session);
          McpHttpCall call;
          try {
            call = newCall("DELETE", null, null, headers, null, context, false);
          } catch (RuntimeException e) {
            cancelCalls();
            return Mono.error(e);
          }
          return Mono.<Void>create(
              sink -> {
                sink.onCancel(call::cancel);
                Runnable delete =
                    () -> {
                      try (McpHttpResponse response = call.execute()) {
                        log.debug(
                            "MCP server '{}' answered DELETE of its session with HTTP {}",
                            serverName,
                            response.status());
                        sink.success();
                      } catch (Throwable e) {
                        sink.error(http.mapFailure(e));
                      } finally {
                        cancelCalls();
                      }
                    };
                try {
                  executor.execute(delete);
                } catch (RejectedExecutionException e) {
                  cancelCalls();
                  sink.error(
                      new McpTransportException("The transport's executor refused the request", e));
                }
              });
        });
  }

  @Override
  public void close() {
    closeGracefully().subscribe(ignored -> {}, error -> cancelCalls());
  }

  private void cancelCalls() {
    for (McpHttpCall call : calls) {
      call.cancel();
    }
  }
}
