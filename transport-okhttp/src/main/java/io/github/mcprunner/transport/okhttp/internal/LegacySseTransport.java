package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
 * Legacy MCP HTTP+SSE client transport (protocol 2024-11-05) on OkHttp: {@code connect} opens the
 * GET event stream ({@code okhttp-sse}) and waits for its {@code endpoint} event; every message is
 * POSTed to that endpoint, and answers arrive on the stream. The endpoint must have the stream's
 * origin (scheme, host and port), so a server cannot send the session's credentials elsewhere.
 *
 * <p>The event stream is the session: when it ends or breaks, later messages fail with a lost
 * session (so the runner opens a new one). A refused stream (401, 403) fails {@code connect} and
 * every message waiting for the endpoint at once. Not public API.
 */
public final class LegacySseTransport implements McpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(LegacySseTransport.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String VERSION = ProtocolVersions.MCP_2024_11_05;

  private final TransportSettings settings;
  private final OkHttpClient client;
  private final OkHttpClient streamClient;
  private final Executor executor;
  private final HttpUrl sseUrl;
  private final URI sseUri;
  private final AtomicReference<@Nullable Stream> stream = new AtomicReference<>();
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public LegacySseTransport(
      TransportSettings settings,
      OkHttpClient client,
      OkHttpClient streamClient,
      Executor executor) {
    this.settings = settings;
    this.client = client;
    this.streamClient = streamClient;
    this.executor = executor;
    this.sseUri = settings.server().uri();
    this.sseUrl = Objects.requireNonNull(HttpUrl.get(sseUri.toString()));
  }

  @Override
  public List<String> protocolVersions() {
    return List.of(VERSION);
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return settings.jsonMapper().convertValue(data, typeRef);
  }

  /** One event stream: the session's endpoint and its liveness. */
  private final class Stream extends EventSourceListener {
    final CompletableFuture<HttpUrl> endpoint = new CompletableFuture<>();
    final Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    final ContextView ctx;
    volatile boolean ended;
    volatile @Nullable Call call;

    Stream(
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler,
        ContextView ctx) {
      this.handler = handler;
      this.ctx = ctx;
    }

    void run(Call call) {
      this.call = call;
      calls.add(call);
      if (closed) {
        // Closed before this task started, so close() could not cancel the call: never opened.
        calls.remove(call);
        ended = true;
        fail(closedError());
        return;
      }
      try (Response response = call.execute()) {
        if (!response.isSuccessful()) {
          fail(HttpErrors.status(response, "GET", false));
          return;
        }
        EventSources.processResponse(response, this);
      } catch (Throwable e) {
        fail(HttpErrors.map(e, settings.connectTimeout(), settings.requestTimeout()));
      } finally {
        calls.remove(call);
        ended = true;
        if (!endpoint.isDone()) {
          endpoint.completeExceptionally(
              new McpTransportException(
                  "MCP server '"
                      + settings.server().name()
                      + "' closed the event stream before naming its endpoint"));
        }
      }
    }

    private void fail(Throwable error) {
      endpoint.completeExceptionally(error);
    }

    @Override
    public void onEvent(
        EventSource source, @Nullable String id, @Nullable String type, String data) {
      if ("endpoint".equals(type)) {
        HttpUrl resolved = sseUrl.resolve(data.trim());
        if (resolved == null || !sameOrigin(resolved)) {
          fail(
              new McpTransportException(
                  "MCP server '"
                      + settings.server().name()
                      + "' named a message endpoint of another origin; refused"));
          source.cancel();
          return;
        }
        endpoint.complete(resolved);
        return;
      }
      if (data.isBlank() || type != null && !"message".equals(type)) {
        return;
      }
      McpSchema.JSONRPCMessage message;
      try {
        message = McpSchema.deserializeJsonRpcMessage(settings.jsonMapper(), data);
      } catch (IOException | RuntimeException e) {
        log.debug(
            "Unreadable event on the event stream of MCP server '{}'", settings.server().name());
        return;
      }
      handler
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
  }

  /**
   * Resolves the headers of one request through the runner's chain, once, before the request is
   * built: what throws (a failing provider) sends nothing.
   */
  private McpHeaders resolve(OutgoingRequest request, McpTransportContext context) {
    return settings.headers().headersFor(request, context);
  }

  private boolean sameOrigin(HttpUrl other) {
    return other.scheme().equals(sseUrl.scheme())
        && other.host().equals(sseUrl.host())
        && other.port() == sseUrl.port();
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.deferContextual(
        ctx -> {
          if (closed) {
            return Mono.error(new McpTransportException("The MCP transport is closed"));
          }
          McpTransportContext context =
              ctx.<McpTransportContext>getOrEmpty(McpTransportContext.KEY)
                  .orElse(McpTransportContext.EMPTY);
          Stream next = new Stream(handler, ctx);
          Stream previous = stream.getAndSet(next);
          if (previous != null && previous.call != null) {
            previous.call.cancel();
          }
          McpHeaders headers;
          try {
            headers = resolve(new OutgoingRequest("GET", sseUri, null, null), context);
          } catch (RuntimeException e) {
            // A failing header provider: nothing is sent, and messages waiting for the endpoint
            // fail with the same error.
            next.ended = true;
            next.fail(e);
            return Mono.error(e);
          }
          Request request =
              new Request.Builder()
                  .url(sseUrl)
                  .get()
                  .header(HttpHeaders.ACCEPT, "text/event-stream")
                  .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                  .header(HttpHeaders.PROTOCOL_VERSION, VERSION)
                  .tag(RequestTag.class, new RequestTag(headers, null))
                  .build();
          Call call = streamClient.newCall(request);
          try {
            executor.execute(() -> next.run(call));
          } catch (RejectedExecutionException e) {
            return Mono.error(
                new McpTransportException("The OkHttp transport's executor refused the stream", e));
          }
          return Mono.fromFuture(next.endpoint, false).then();
        });
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.deferContextual(
        ctx -> {
          Stream current = stream.get();
          if (closed || current == null) {
            return Mono.error(new McpTransportException("The MCP transport is not connected"));
          }
          McpTransportContext context =
              ctx.<McpTransportContext>getOrEmpty(McpTransportContext.KEY)
                  .orElse(McpTransportContext.EMPTY);
          return Mono.fromFuture(current.endpoint, false)
              .flatMap(
                  endpoint -> {
                    if (current.ended) {
                      return Mono.error(HttpErrors.sessionNotFound("its event stream ended", null));
                    }
                    String body;
                    try {
                      body = settings.jsonMapper().writeValueAsString(message);
                    } catch (IOException e) {
                      return Mono.error(
                          new McpTransportException("Could not serialise a JSON-RPC message", e));
                    }
                    OutgoingRequest outgoing = OutgoingRequest.post(endpoint.uri(), message);
                    McpHeaders headers;
                    try {
                      headers = resolve(outgoing, context);
                    } catch (RuntimeException e) {
                      return Mono.error(e);
                    }
                    Request request =
                        new Request.Builder()
                            .url(endpoint)
                            .post(RequestBody.create(body, JSON))
                            .header(HttpHeaders.PROTOCOL_VERSION, VERSION)
                            .tag(RequestTag.class, new RequestTag(headers, outgoing.mcpMethod()))
                            .build();
                    return Mono.<Void>create(
                        sink -> {
                          Call call = client.newCall(request);
                          sink.onCancel(call::cancel);
                          try {
                            executor.execute(() -> post(call, sink));
                          } catch (RejectedExecutionException e) {
                            sink.error(
                                new McpTransportException(
                                    "The OkHttp transport's executor refused the request", e));
                          }
                        });
                  });
        });
  }

  private void post(Call call, MonoSink<Void> sink) {
    calls.add(call);
    if (closed) {
      // Closed before this task started: the message is not sent.
      calls.remove(call);
      sink.error(closedError());
      return;
    }
    try (Response response = call.execute()) {
      if (response.isSuccessful()) {
        sink.success();
      } else {
        sink.error(HttpErrors.status(response, "POST", true));
      }
    } catch (Throwable e) {
      sink.error(HttpErrors.map(e, settings.connectTimeout(), settings.requestTimeout()));
    } finally {
      calls.remove(call);
    }
  }

  private McpTransportException closedError() {
    return new McpTransportException(
        "The MCP transport for server '" + settings.server().name() + "' is closed");
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(
        () -> {
          closed = true;
          for (Call call : calls) {
            call.cancel();
          }
        });
  }
}
