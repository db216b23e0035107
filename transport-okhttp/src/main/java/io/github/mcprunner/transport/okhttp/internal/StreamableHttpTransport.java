package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.TransportSettings;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.util.context.ContextView;

/**
 * MCP Streamable HTTP client transport on OkHttp: every message is a POST answered with JSON, an
 * SSE stream ({@code okhttp-sse}) or 202; the server's session id is sent on every later request;
 * after {@code notifications/initialized} a GET event stream carries server-initiated messages and
 * is re-opened with {@code Last-Event-ID} when it ends; {@code closeGracefully()} sends DELETE.
 *
 * <p>Calls run with {@code Call.execute()} on the factory's executor, not on OkHttp's dispatcher,
 * so the user's dispatcher limits (5 calls per host by default) never starve the long-lived event
 * streams of many sessions. A POST answered with SSE completes its {@link #sendMessage} only when
 * the response to its request arrived, so a stream broken mid-call fails the call at once instead
 * of leaving it to the request timeout. Not public API.
 */
public final class StreamableHttpTransport implements McpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(StreamableHttpTransport.class);

  private static final List<String> PROTOCOL_VERSIONS =
      List.of(
          ProtocolVersions.MCP_2025_03_26,
          ProtocolVersions.MCP_2025_06_18,
          ProtocolVersions.MCP_2025_11_25);
  private static final String LATEST_VERSION = ProtocolVersions.MCP_2025_11_25;
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String EVENT_STREAM = "text/event-stream";
  private static final int MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS = 3;
  private static final Duration FIRST_STREAM_RETRY_DELAY = Duration.ofMillis(200);

  private final TransportSettings settings;
  private final OkHttpClient client;
  private final OkHttpClient streamClient;
  private final Executor executor;
  private final HttpUrl url;
  private final URI uri;
  private final AtomicReference<
          @Nullable Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>>>
      handler = new AtomicReference<>();
  private final AtomicReference<@Nullable String> sessionId = new AtomicReference<>();
  private final AtomicReference<@Nullable String> streamStartedFor = new AtomicReference<>();
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();
  private volatile String protocolVersion = LATEST_VERSION;
  private volatile boolean closed;

  /**
   * Creates the transport.
   *
   * @param client the client for POST and DELETE (read timeout = request timeout)
   * @param streamClient the client for the GET event stream (no read timeout)
   */
  public StreamableHttpTransport(
      TransportSettings settings,
      OkHttpClient client,
      OkHttpClient streamClient,
      Executor executor) {
    this.settings = settings;
    this.client = client;
    this.streamClient = streamClient;
    this.executor = executor;
    this.uri = settings.server().uri();
    this.url = Objects.requireNonNull(HttpUrl.get(uri.toString()));
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

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.deferContextual(
        ctx -> {
          if (closed) {
            return Mono.error(
                new McpTransportException(
                    "The MCP transport for server '" + settings.server().name() + "' is closed"));
          }
          McpTransportContext context =
              ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY);
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
          Request.Builder request =
              new Request.Builder()
                  .url(url)
                  .post(RequestBody.create(body, JSON))
                  .header(HttpHeaders.ACCEPT, "application/json, " + EVENT_STREAM)
                  .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                  .header(
                      HttpHeaders.PROTOCOL_VERSION,
                      negotiated != null ? negotiated : protocolVersion);
          if (session != null) {
            request.header(HttpHeaders.MCP_SESSION_ID, session);
          }
          request.tag(
              RequestTag.class,
              new RequestTag(
                  settings.headers(),
                  new OutgoingRequest(
                      "POST", uri, JsonRpc.method(message), JsonRpc.toolName(message)),
                  context));
          Request built = request.build();
          return Mono.<Void>create(
              sink -> {
                Call call = client.newCall(built);
                sink.onCancel(call::cancel);
                submit(sink, () -> post(call, message, session, context, ctx, sink));
              });
        });
  }

  private void post(
      Call call,
      McpSchema.JSONRPCMessage message,
      @Nullable String session,
      McpTransportContext context,
      ContextView ctx,
      MonoSink<Void> sink) {
    calls.add(call);
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        if (response.code() == 404 && session != null) {
          sessionId.compareAndSet(session, null);
        }
        sink.error(HttpErrors.status(response, "POST", session != null));
        return;
      }
      String newSession = response.header(HttpHeaders.MCP_SESSION_ID);
      if (session == null && newSession != null && !newSession.isBlank()) {
        sessionId.compareAndSet(null, newSession);
      }
      ResponseBody body = response.body();
      MediaType type = body.contentType();
      String mediaType = type == null ? "" : type.type() + "/" + type.subtype();
      if (response.code() == 202 || type == null || body.contentLength() == 0) {
        sink.success();
      } else if (EVENT_STREAM.equalsIgnoreCase(mediaType)) {
        PostStream stream = new PostStream(JsonRpc.requestId(message), ctx, sink);
        EventSources.processResponse(response, stream);
        stream.finish();
      } else if ("application/json".equalsIgnoreCase(mediaType)) {
        String data = body.string();
        if (!(message instanceof McpSchema.JSONRPCRequest) || data.isBlank()) {
          sink.success();
        } else {
          deliver(McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data), ctx);
          sink.success();
        }
      } else {
        sink.error(
            new McpTransportException(
                "MCP server '"
                    + settings.server().name()
                    + "' answered with an unexpected media type "
                    + mediaType));
      }
      if (McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(JsonRpc.method(message))) {
        startEventStream(context, ctx);
      }
    } catch (Throwable e) {
      sink.error(map(e));
    } finally {
      calls.remove(call);
    }
  }

  /** Reads one POST's SSE answer: delivers every message; done once the request's response came. */
  private final class PostStream extends EventSourceListener {
    private final @Nullable Object requestId;
    private final ContextView ctx;
    private final MonoSink<Void> sink;
    private volatile boolean answered;
    private volatile @Nullable Throwable failure;

    PostStream(@Nullable Object requestId, ContextView ctx, MonoSink<Void> sink) {
      this.requestId = requestId;
      this.ctx = ctx;
      this.sink = sink;
    }

    @Override
    public void onEvent(
        EventSource source, @Nullable String id, @Nullable String type, String data) {
      if (data.isBlank() || type != null && !"message".equals(type)) {
        return;
      }
      McpSchema.JSONRPCMessage message;
      try {
        message = McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data);
      } catch (IOException | RuntimeException e) {
        failure =
            new McpTransportException("Could not read a JSON-RPC message of an event stream", e);
        source.cancel();
        return;
      }
      boolean isAnswer =
          message instanceof McpSchema.JSONRPCResponse
              && requestId != null
              && requestId.equals(((McpSchema.JSONRPCResponse) message).id());
      deliver(message, ctx);
      if (isAnswer) {
        answered = true;
        sink.success();
      }
    }

    @Override
    public void onFailure(EventSource source, @Nullable Throwable t, @Nullable Response response) {
      if (failure == null) {
        failure = t != null ? t : new IOException("event stream failed");
      }
    }

    void finish() {
      Throwable broken = failure;
      if (broken != null && !answered) {
        sink.error(map(broken));
      } else {
        sink.success();
      }
    }
  }

  // ---- the GET event stream

  private void startEventStream(McpTransportContext context, ContextView ctx) {
    String session = sessionId.get();
    String key = session == null ? "" : session;
    if (closed || key.equals(streamStartedFor.getAndSet(key))) {
      return;
    }
    new EventStream(session, context, ctx).open();
  }

  /**
   * The session's GET stream: re-opened with {@code Last-Event-ID} (the id of the last event it
   * carried) when the server ends it or it breaks, up to {@value
   * #MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS} times in a row without an event; never after close, a
   * refusal, 405 (no stream offered) or 404 (session gone: the next POST reports it).
   */
  private final class EventStream extends EventSourceListener {
    private final @Nullable String session;
    private final McpTransportContext context;
    private final ContextView ctx;
    private volatile @Nullable String lastEventId;
    private volatile int eventsThisAttempt;
    private int attemptsWithoutEvents;

    EventStream(@Nullable String session, McpTransportContext context, ContextView ctx) {
      this.session = session;
      this.context = context;
      this.ctx = ctx;
    }

    void open() {
      try {
        executor.execute(this::attempt);
      } catch (RejectedExecutionException e) {
        log.debug(
            "Event stream of MCP server '{}' not opened: executor shut down",
            settings.server().name());
      }
    }

    private boolean current() {
      return !closed && Objects.equals(session, sessionId.get());
    }

    private void attempt() {
      if (!current()) {
        return;
      }
      Request.Builder request =
          new Request.Builder()
              .url(url)
              .get()
              .header(HttpHeaders.ACCEPT, EVENT_STREAM)
              .header(HttpHeaders.CACHE_CONTROL, "no-cache")
              .header(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
      if (session != null) {
        request.header(HttpHeaders.MCP_SESSION_ID, session);
      }
      String resumeFrom = lastEventId;
      if (resumeFrom != null) {
        request.header(HttpHeaders.LAST_EVENT_ID, resumeFrom);
      }
      request.tag(
          RequestTag.class,
          new RequestTag(settings.headers(), new OutgoingRequest("GET", uri, null, null), context));
      Call call = streamClient.newCall(request.build());
      calls.add(call);
      eventsThisAttempt = 0;
      boolean again;
      try (Response response = call.execute()) {
        again = read(response);
      } catch (IOException e) {
        again = true;
      } catch (RuntimeException e) {
        // A failing header provider: nothing was sent; do not insist.
        log.debug(
            "Event stream of MCP server '{}' not opened ({})",
            settings.server().name(),
            e.getClass().getSimpleName());
        again = false;
      } finally {
        calls.remove(call);
      }
      if (!again || !current()) {
        return;
      }
      attemptsWithoutEvents = eventsThisAttempt > 0 ? 1 : attemptsWithoutEvents + 1;
      if (attemptsWithoutEvents > MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS) {
        log.debug("Event stream of MCP server '{}' given up", settings.server().name());
        return;
      }
      Duration delay = FIRST_STREAM_RETRY_DELAY.multipliedBy(1L << (attemptsWithoutEvents - 1));
      Mono.delay(delay).subscribe(tick -> open(), error -> {});
    }

    /** Returns whether to re-open the stream. */
    private boolean read(Response response) {
      int code = response.code();
      if (!response.isSuccessful()) {
        log.debug(
            "MCP server '{}' answered the event stream request with HTTP {}",
            settings.server().name(),
            code);
        return false;
      }
      MediaType type = response.body().contentType();
      if (type == null || !EVENT_STREAM.equalsIgnoreCase(type.type() + "/" + type.subtype())) {
        return false;
      }
      EventSources.processResponse(response, this);
      return true;
    }

    @Override
    public void onEvent(
        EventSource source, @Nullable String id, @Nullable String type, String data) {
      if (id != null && !id.isEmpty()) {
        lastEventId = id;
      }
      eventsThisAttempt++;
      if (data.isBlank() || type != null && !"message".equals(type)) {
        return;
      }
      try {
        deliver(McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data), ctx);
      } catch (IOException | RuntimeException e) {
        log.debug(
            "Unreadable event on the event stream of MCP server '{}'", settings.server().name());
      }
    }
  }

  // ---- shared

  private void deliver(McpSchema.JSONRPCMessage message, ContextView ctx) {
    Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> current =
        handler.get();
    if (current == null) {
      log.debug("Message from MCP server '{}' before connect: dropped", settings.server().name());
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
                    settings.server().name(),
                    error.getClass().getSimpleName()));
  }

  private void submit(MonoSink<Void> sink, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      sink.error(
          new McpTransportException("The OkHttp transport's executor refused the request", e));
    }
  }

  private Throwable map(Throwable error) {
    return HttpErrors.map(error, settings.connectTimeout(), settings.requestTimeout());
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
              ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY);
          Request delete =
              new Request.Builder()
                  .url(url)
                  .delete()
                  .header(HttpHeaders.MCP_SESSION_ID, session)
                  .header(HttpHeaders.PROTOCOL_VERSION, protocolVersion)
                  .tag(
                      RequestTag.class,
                      new RequestTag(
                          settings.headers(),
                          new OutgoingRequest("DELETE", uri, null, null),
                          context))
                  .build();
          return Mono.<Void>create(
              sink -> {
                Call call = client.newCall(delete);
                sink.onCancel(call::cancel);
                submit(
                    sink,
                    () -> {
                      try (Response response = call.execute()) {
                        log.debug(
                            "MCP server '{}' answered DELETE of its session with HTTP {}",
                            settings.server().name(),
                            response.code());
                        sink.success();
                      } catch (Throwable e) {
                        sink.error(map(e));
                      } finally {
                        cancelCalls();
                      }
                    });
              });
        });
  }

  @Override
  public void close() {
    closeGracefully().subscribe(ignored -> {}, error -> cancelCalls());
  }

  private void cancelCalls() {
    for (Call call : calls) {
      call.cancel();
    }
  }
}
