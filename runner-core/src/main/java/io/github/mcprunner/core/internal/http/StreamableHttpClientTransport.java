package io.github.mcprunner.core.internal.http;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.util.context.ContextView;

/**
 * MCP Streamable HTTP client transport over a transport module's {@link McpHttpClient}; what it
 * does is described on {@code StreamableHttpTransports}.
 *
 * <p>Every HTTP call runs as one blocking task on the executor. A POST answered with SSE completes
 * its {@link #sendMessage} only when the response to its request arrived: a stream that ends
 * without it is resumed (SEP-1699) or fails the call at once, instead of leaving it to the request
 * timeout. Waits between attempts are scheduled on the JDK's shared delay scheduler, which hands
 * the attempt to the executor; no thread waits. Not public API.
 */
public final class StreamableHttpClientTransport implements McpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(StreamableHttpClientTransport.class);

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
  public static final int MAX_RESUMPTIONS = 3;

  private static final int MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS = 3;
  private static final Duration FIRST_STREAM_RETRY_DELAY = Duration.ofMillis(200);

  private final TransportSettings settings;
  private final McpHttpClient http;
  private final Executor executor;
  private final URI uri;
  private final String serverName;
  private final AtomicReference<
          @Nullable Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>>>
      handler = new AtomicReference<>();
  private final AtomicReference<@Nullable String> sessionId = new AtomicReference<>();
  private final AtomicReference<@Nullable String> streamStartedFor = new AtomicReference<>();
  private final Set<McpHttpCall> calls = ConcurrentHashMap.newKeySet();
  private volatile String protocolVersion = LATEST_VERSION;
  private volatile boolean closed;

  public StreamableHttpClientTransport(
      TransportSettings settings, McpHttpClient http, Executor executor) {
    this.settings = settings;
    this.http = http;
    this.executor = executor;
    this.uri = settings.server().uri();
    this.serverName = settings.server().name();
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
          Map<String, String> headers = new LinkedHashMap<>();
          headers.put(HttpHeaders.ACCEPT, JSON + ", " + EVENT_STREAM);
          headers.put(HttpHeaders.CACHE_CONTROL, "no-cache");
          headers.put(
              HttpHeaders.PROTOCOL_VERSION, negotiated != null ? negotiated : protocolVersion);
          if (session != null) {
            headers.put(HttpHeaders.MCP_SESSION_ID, session);
          }
          return Mono.<Void>create(
              sink -> {
                Exchange exchange = new Exchange(message, session, context, ctx, sink);
                // The SDK (2.1.0) drops its subscription to sendMessage, so this cancel hook does
                // not fire on its request timeout: the exchange's own deadline ends the call then.
                sink.onCancel(exchange::cancel);
                exchange.armDeadline();
                try {
                  executor.execute(() -> exchange.post(headers, body));
                } catch (RejectedExecutionException e) {
                  exchange.fail(
                      new McpTransportException("The transport's executor refused the request", e));
                }
              });
        });
  }

  /**
   * One POSTed message until its outcome: the HTTP answer, and for a request answered with SSE the
   * stream up to the response, resumed with {@code Last-Event-ID} when it ends before.
   */
  private final class Exchange implements SseReader.Listener {
    private final McpSchema.JSONRPCMessage message;
    private final @Nullable Object requestId;
    private final String what;
    private final @Nullable String session;
    private final McpTransportContext context;
    private final ContextView ctx;
    private final MonoSink<Void> sink;
    private final AtomicBoolean done = new AtomicBoolean();
    private final CompletableFuture<Void> deadline = new CompletableFuture<>();
    private volatile @Nullable McpHttpCall current;
    private volatile @Nullable String lastEventId;
    private volatile @Nullable Duration retry;
    private volatile @Nullable Throwable malformed;
    private volatile String malformedReason = "";
    private volatile boolean resumed;
    private int resumptionsWithoutMessage;

    Exchange(
        McpSchema.JSONRPCMessage message,
        @Nullable String session,
        McpTransportContext context,
        ContextView ctx,
        MonoSink<Void> sink) {
      this.message = message;
      this.requestId = JsonRpc.requestId(message);
      String method = JsonRpc.method(message);
      this.what = method == null ? "a JSON-RPC message" : method;
      this.session = session;
      this.context = context;
      this.ctx = ctx;
      this.sink = sink;
    }

    void post(Map<String, String> protocolHeaders, String body) {
      McpHttpCall call;
      try {
        call =
            newCall(
                "POST",
                JsonRpc.method(message),
                JsonRpc.toolName(message),
                protocolHeaders,
                body,
                context,
                false);
      } catch (RuntimeException e) {
        // Header resolution failed (a failing provider, a cancelled run): nothing was sent.
        fail(e);
        return;
      }
      if (!track(call)) {
        return;
      }
      boolean accepted = false;
      try (McpHttpResponse response = call.execute()) {
        int code = response.status();
        if (code < 200 || code >= 300) {
          if (code == 404 && session != null) {
            sessionId.compareAndSet(session, null);
          }
          fail(statusError(response, "POST", session != null));
          return;
        }
        accepted = true;
        String newSession = response.header(HttpHeaders.MCP_SESSION_ID);
        if (session == null && newSession != null && !newSession.isBlank()) {
          sessionId.compareAndSet(null, newSession);
        }
        String type = mediaType(response);
        if (code == 202 || type.isEmpty() || "0".equals(response.header("Content-Length"))) {
          succeed();
        } else if (EVENT_STREAM.equals(type)) {
          streamEnded(read(response));
        } else if (JSON.equals(type)) {
          String data = readText(response.body());
          if (message instanceof McpSchema.JSONRPCRequest && !data.isBlank()) {
            deliver(McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data), ctx);
          }
          succeed();
        } else {
          fail(lost("it answered with the unexpected media type " + type, null));
        }
      } catch (ResponseTooLargeException e) {
        fail(lost("its " + e.getMessage(), e));
      } catch (Throwable e) {
        fail(accepted ? lost("its answer could not be read", e) : http.mapFailure(e));
      } finally {
        calls.remove(call);
      }
      if (accepted && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(what)) {
        startEventStream(context, ctx);
      }
    }

    /** Reads an event stream; returns the I/O failure that ended it, null if it ended cleanly. */
    private @Nullable Throwable read(McpHttpResponse response) {
      try (InputStream body = response.body()) {
        SseReader.read(body, this);
        return null;
      } catch (ResponseTooLargeException e) {
        malformedReason = "its answer stream was cut off: " + e.getMessage();
        malformed = e;
        return null;
      } catch (IOException e) {
        return e;
      }
    }

    @Override
    public boolean onEvent(@Nullable String id, String type, String data) {
      if (id != null) {
        lastEventId = id;
      }
      if (data.isBlank() || !"message".equals(type)) {
        return true;
      }
      McpSchema.JSONRPCMessage received;
      try {
        received = McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data);
      } catch (IOException | RuntimeException e) {
        malformedReason = "an event of its answer stream is not a JSON-RPC message";
        malformed =
            new McpTransportException(
                "Could not read a JSON-RPC message of the event stream answering " + what, e);
        return false;
      }
      resumptionsWithoutMessage = 0;
      boolean isAnswer =
          received instanceof McpSchema.JSONRPCResponse
              && requestId != null
              && requestId.equals(((McpSchema.JSONRPCResponse) received).id());
      deliver(received, ctx);
      if (isAnswer) {
        succeed();
        // A POST's stream is read to its end (the server closes it after the response), so the
        // connection can be reused; a resumed GET stream may stay open: let go of it now.
        return !resumed;
      }
      return true;
    }

    @Override
    public void onRetry(Duration retry) {
      this.retry = retry;
    }

    /** The answer stream ended: done, failed, or to be resumed after the server's retry time. */
    private void streamEnded(@Nullable Throwable broken) {
      Throwable unreadable = malformed;
      if (unreadable != null) {
        fail(lost(malformedReason, unreadable));
        return;
      }
      if (done.get()) {
        return;
      }
      if (requestId == null) {
        if (broken == null) {
          succeed();
        } else {
          fail(http.mapFailure(broken));
        }
        return;
      }
      if (closed) {
        fail(closedError());
        return;
      }
      if (lastEventId == null) {
        fail(
            lost(
                "its answer stream "
                    + (broken != null ? "broke" : "ended")
                    + " before the response, with no event id to resume from",
                broken));
        return;
      }
      if (++resumptionsWithoutMessage > MAX_RESUMPTIONS) {
        fail(
            lost(
                "its answer stream ended again after "
                    + MAX_RESUMPTIONS
                    + " resumptions with Last-Event-ID",
                broken));
        return;
      }
      Duration wait = retry != null ? retry : DEFAULT_RETRY;
      log.debug(
          "Event stream answering {} of MCP server '{}' ended before the response; resuming in {}",
          what,
          serverName,
          wait);
      schedule(wait, this::resume, () -> fail(closedError()));
    }

    /**
     * Ends the exchange, and cancels its HTTP call, when it is not done within the request timeout
     * of its creation: a POST whose answer stream stalls after its headers (an HTTP client's
     * timeout may bound only the wait for the headers) or a resumed stream held open without the
     * response would otherwise hold a thread and a connection for ever, since the MCP client's own
     * timeout does not reach the transport. The timer is cancelled when the exchange ends.
     */
    void armDeadline() {
      Duration timeout = settings.requestTimeout();
      deadline
          .orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
          .whenComplete(
              (ignored, error) -> {
                if (error instanceof TimeoutException) {
                  fail(new TimeoutException("no response to " + what + " within " + timeout));
                }
              });
    }

    private void resume() {
      if (done.get()) {
        return;
      }
      if (closed) {
        fail(closedError());
        return;
      }
      resumed = true;
      String onSession = session != null ? session : sessionId.get();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(HttpHeaders.ACCEPT, EVENT_STREAM);
      headers.put(HttpHeaders.CACHE_CONTROL, "no-cache");
      headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
      if (onSession != null) {
        headers.put(HttpHeaders.MCP_SESSION_ID, onSession);
      }
      headers.put(HttpHeaders.LAST_EVENT_ID, Objects.requireNonNull(lastEventId));
      McpHttpCall call;
      try {
        call = newCall("GET", null, null, headers, null, context, true);
      } catch (RuntimeException e) {
        // A failing header provider: the resumption was not sent, the request was.
        fail(lost("the resumption of its answer stream could not be sent", e));
        return;
      }
      if (!track(call)) {
        return;
      }
      Throwable broken = null;
      try (McpHttpResponse response = call.execute()) {
        int code = response.status();
        if (code < 200 || code >= 300) {
          if (code == 404 && onSession != null) {
            sessionId.compareAndSet(onSession, null);
          }
          // Never a TransportHttpException on its own: the runner would retry the request (after
          // a 401 with fresh headers, after a 404 on a new session), which the server already has.
          fail(
              lost(
                  "the resumption of its answer stream was answered with HTTP " + code,
                  statusError(response, "GET", onSession != null)));
          return;
        }
        String type = mediaType(response);
        if (!EVENT_STREAM.equals(type)) {
          fail(
              lost(
                  "the resumption of its answer stream was answered with media type "
                      + (type.isEmpty() ? "none" : type)
                      + " instead of an event stream",
                  null));
          return;
        }
        broken = read(response);
      } catch (IOException e) {
        broken = e;
      } catch (Throwable e) {
        fail(lost("the resumption of its answer stream could not be read", e));
        return;
      } finally {
        calls.remove(call);
      }
      streamEnded(broken);
    }

    /**
     * Returns the failure of a request the server accepted and whose response did not arrive: a
     * {@link ResponseLostException}, which the runner never retries, as the server may have run the
     * request; a timeout stays a timeout (not retried either, and reported as such); a
     * notification, which has no response, fails with the cause or a plain transport exception.
     */
    private Throwable lost(String reason, @Nullable Throwable cause) {
      Throwable mapped = cause == null ? null : http.mapFailure(cause);
      if (mapped instanceof TimeoutException
          || mapped instanceof java.net.http.HttpTimeoutException) {
        return mapped;
      }
      if (requestId == null) {
        return mapped != null
            ? mapped
            : new McpTransportException(
                "MCP server '" + serverName + "' answered " + what + ": " + reason);
      }
      return new ResponseLostException(serverName, what, reason, mapped);
    }

    private boolean track(McpHttpCall call) {
      current = call;
      calls.add(call);
      if (done.get()) {
        calls.remove(call);
        call.cancel();
        return false;
      }
      return true;
    }

    void succeed() {
      if (done.compareAndSet(false, true)) {
        deadline.complete(null);
        sink.success();
      }
    }

    /** Fails the exchange and cancels its HTTP call, which may still be sending or reading. */
    void fail(Throwable error) {
      if (done.compareAndSet(false, true)) {
        deadline.complete(null);
        sink.error(error);
        cancelCurrent();
      }
    }

    void cancel() {
      if (done.compareAndSet(false, true)) {
        deadline.complete(null);
        cancelCurrent();
      }
    }

    private void cancelCurrent() {
      McpHttpCall call = current;
      if (call != null) {
        call.cancel();
      }
    }
  }

  // ---- the standalone GET event stream

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
   * carried) when the server ends it or it breaks, after the server's {@code retry} time if it gave
   * one (else 200 ms, doubling), up to {@value #MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS} times in a row
   * without an event; never after close, a refusal, 405 (no stream offered) or 404 (session gone:
   * the next POST reports it).
   */
  private final class EventStream implements SseReader.Listener {
    private final @Nullable String session;
    private final McpTransportContext context;
    private final ContextView ctx;
    private volatile @Nullable String lastEventId;
    private volatile @Nullable Duration retry;
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
        log.debug("Event stream of MCP server '{}' not opened: executor shut down", serverName);
      }
    }

    private boolean current() {
      return !closed && Objects.equals(session, sessionId.get());
    }

    private void attempt() {
      if (!current()) {
        return;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(HttpHeaders.ACCEPT, EVENT_STREAM);
      headers.put(HttpHeaders.CACHE_CONTROL, "no-cache");
      headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
      if (session != null) {
        headers.put(HttpHeaders.MCP_SESSION_ID, session);
      }
      String resumeFrom = lastEventId;
      if (resumeFrom != null) {
        headers.put(HttpHeaders.LAST_EVENT_ID, resumeFrom);
      }
      McpHttpCall call;
      try {
        call = newCall("GET", null, null, headers, null, context, true);
      } catch (RuntimeException e) {
        // A failing header provider: nothing was sent; do not insist.
        log.debug(
            "Event stream of MCP server '{}' not opened ({})",
            serverName,
            e.getClass().getSimpleName());
        return;
      }
      calls.add(call);
      if (closed) {
        calls.remove(call);
        return;
      }
      eventsThisAttempt = 0;
      boolean again;
      try (McpHttpResponse response = call.execute()) {
        again = read(response);
      } catch (ResponseTooLargeException e) {
        // Re-opened, the stream would replay the same event.
        log.debug("Event stream of MCP server '{}' given up: {}", serverName, e.getMessage());
        again = false;
      } catch (IOException e) {
        again = true;
      } catch (RuntimeException e) {
        log.debug(
            "Event stream of MCP server '{}' given up ({})",
            serverName,
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
        log.debug("Event stream of MCP server '{}' given up", serverName);
        return;
      }
      Duration serverRetry = retry;
      Duration wait =
          serverRetry != null
              ? serverRetry
              : FIRST_STREAM_RETRY_DELAY.multipliedBy(1L << (attemptsWithoutEvents - 1));
      schedule(wait, this::attempt, () -> {});
    }

    /** Returns whether to re-open the stream. */
    private boolean read(McpHttpResponse response) throws IOException {
      int code = response.status();
      if (code < 200 || code >= 300) {
        log.debug(
            "MCP server '{}' answered the event stream request with HTTP {}", serverName, code);
        return false;
      }
      if (!EVENT_STREAM.equals(mediaType(response))) {
        return false;
      }
      try (InputStream body = response.body()) {
        SseReader.read(body, this);
      }
      return true;
    }

    @Override
    public boolean onEvent(@Nullable String id, String type, String data) {
      if (id != null) {
        lastEventId = id;
      }
      eventsThisAttempt++;
      if (data.isBlank() || !"message".equals(type)) {
        return true;
      }
      try {
        deliver(McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data), ctx);
      } catch (IOException | RuntimeException e) {
        log.debug("Unreadable event on the event stream of MCP server '{}'", serverName);
      }
      return true;
    }

    @Override
    public void onRetry(Duration retry) {
      this.retry = retry;
    }
  }

  // ---- shared

  /**
   * Resolves the headers of one request, once, through the runner's precedence chain (for the run
   * {@code context} belongs to), and returns the HTTP client's call carrying them, final. Throws
   * what resolution throws (a failing provider, a cancelled run): then nothing is sent.
   */
  private McpHttpCall newCall(
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
   * Runs {@code task} on the executor after {@code delay}: the JDK's delay scheduler only hands it
   * over, so no thread waits; {@code rejected} runs when the executor refuses it.
   */
  private void schedule(Duration delay, Runnable task, Runnable rejected) {
    CompletableFuture.delayedExecutor(
            Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS, Runnable::run)
        .execute(
            () -> {
              try {
                executor.execute(task);
              } catch (RejectedExecutionException e) {
                rejected.run();
              }
            });
  }

  private void deliver(McpSchema.JSONRPCMessage message, ContextView ctx) {
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

  private McpTransportException closedError() {
    return new McpTransportException("The MCP transport for server '" + serverName + "' is closed");
  }

  /** Returns the exception for an error status answering {@code httpMethod}. */
  static RuntimeException statusError(
      McpHttpResponse response, String httpMethod, boolean hadSession) {
    int code = response.status();
    TransportHttpException error =
        new TransportHttpException(
            code,
            httpMethod,
            code == 401 || code == 403 ? response.header("WWW-Authenticate") : null,
            null);
    if (code == 404 && hadSession) {
      return new McpTransportSessionNotFoundException(
          "The MCP server no longer knows the session", error);
    }
    return error;
  }

  private static String mediaType(McpHttpResponse response) {
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
              ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY);
          Map<String, String> headers = new LinkedHashMap<>();
          headers.put(HttpHeaders.MCP_SESSION_ID, session);
          headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
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
