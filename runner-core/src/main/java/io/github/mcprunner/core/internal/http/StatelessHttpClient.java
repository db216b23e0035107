package io.github.mcprunner.core.internal.http;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.McpServerException;
import io.github.mcprunner.core.internal.RunScope;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * MCP 2026-07-28 (stateless) requests over a transport module's {@link McpHttpClient}, the same
 * HTTP client the session protocol's {@link StreamableHttpClientTransport} uses: one POST per
 * request with {@code MCP-Protocol-Version: 2026-07-28}, {@code Mcp-Method}, {@code Mcp-Name}
 * (encoded with {@link HeaderValues} where needed) and the {@code Mcp-Param-*} headers the caller
 * computed; the body's {@code params._meta} carries the protocol version, client capabilities and
 * client info. No session id, no GET, no DELETE, no {@code Last-Event-ID}. The run's headers are
 * resolved once per request by the caller's {@link HeaderSource}, after the protocol headers; the
 * same source's {@link RequestObserver}, when the run is observed, sees each request.
 *
 * <p>A JSON answer or an SSE stream ending with the response both work; notifications on the stream
 * are skipped. Outcomes: the {@code result} object; a JSON-RPC error as {@link RpcError} (with the
 * HTTP status, whether it is one the 2026-07-28 revision defines); 401 and 403 as {@link
 * TransportHttpException}; another error status without a JSON-RPC error as {@link
 * TransportHttpException} too; a response stream that ends or breaks before the response as {@link
 * ResponseLostException}. Not public API.
 */
public final class StatelessHttpClient {
  /** The protocol revision spoken. */
  public static final String VERSION = "2026-07-28";

  /** The {@code _meta} key of the protocol version. */
  public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";

  /** The {@code _meta} key of the client capabilities. */
  public static final String META_CLIENT_CAPABILITIES =
      "io.modelcontextprotocol/clientCapabilities";

  /** The {@code _meta} key of the client info. */
  public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

  /** JSON-RPC error codes of the 2026-07-28 revision. */
  public static final int HEADER_MISMATCH = -32020;

  public static final int MISSING_CLIENT_CAPABILITY = -32021;
  public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
  public static final int METHOD_NOT_FOUND = -32601;

  /** The most bytes of an error body read to look for a JSON-RPC error. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

  /** Resolves the run's headers of one request (the precedence chain); throws to send nothing. */
  @FunctionalInterface
  public interface HeaderSource {
    McpHeaders headersFor(OutgoingRequest request);

    /**
     * Returns the run the requests belong to, whose cancellation ends them at once (closing the
     * response stream is this revision's cancellation signal); null for none.
     */
    default @Nullable RunScope run() {
      return null;
    }

    /**
     * Returns the observer of one request of {@code method} (the run's observers), asked once per
     * request before it is built; null (the default) when nothing observes, which costs nothing.
     */
    default @Nullable RequestObserver observe(String method, @Nullable String toolName) {
      return null;
    }
  }

  /**
   * Observes one request: its {@code _meta} entries (trace context) are added to {@code
   * params._meta} without replacing an entry there; told the JSON-RPC id when the request is handed
   * to the HTTP client, then its outcome once (a failure to resolve the headers too).
   */
  public interface RequestObserver {
    /** Returns the entries to add to {@code params._meta}. */
    Map<String, String> meta();

    /** The request is handed to the HTTP client with JSON-RPC id {@code jsonRpcId}. */
    void requestSent(Object jsonRpcId);

    /**
     * The server answered with a result.
     *
     * @param toolError whether it is a {@code tools/call} result with {@code isError} set
     */
    void requestSucceeded(boolean toolError);

    /** The request failed, was cancelled or timed out: {@code error} says which. */
    void requestFailed(Throwable error);
  }

  /** A JSON-RPC error answering a request; its message is the server's and is never logged. */
  public static final class RpcError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int code;
    private final transient @Nullable Object data;
    private final String serverMessage;

    RpcError(int httpStatus, int code, String serverMessage, @Nullable Object data) {
      super("JSON-RPC error " + code + " (HTTP " + httpStatus + ")", null, false, false);
      this.httpStatus = httpStatus;
      this.code = code;
      this.data = data;
      this.serverMessage = serverMessage;
    }

    public int httpStatus() {
      return httpStatus;
    }

    public int code() {
      return code;
    }

    public @Nullable Object data() {
      return data;
    }

    /** The server's message: for the model's eyes only (it may quote a header value). */
    public String serverMessage() {
      return serverMessage;
    }

    /**
     * Whether it is an error the 2026-07-28 revision defines at the transport level (header
     * mismatch, missing capability, unsupported version, or an unknown method answered 404): the
     * mark of a server that speaks that revision.
     */
    public boolean isModern() {
      return code == HEADER_MISMATCH
          || code == MISSING_CLIENT_CAPABILITY
          || code == UNSUPPORTED_PROTOCOL_VERSION
          || (code == METHOD_NOT_FOUND && httpStatus == 404);
    }
  }

  private final String serverName;
  private final URI uri;
  private final McpHttpClient http;
  private final Executor executor;
  private final McpJsonMapper json;
  private final Duration timeout;
  private final Map<String, Object> meta;
  private final AtomicLong ids = new AtomicLong();

  /**
   * Creates the client.
   *
   * @param timeout the longest wait for one response (its stream included)
   * @param clientCapabilities the capabilities every request declares
   * @param clientInfo the client's {@code name} and {@code version}
   */
  public StatelessHttpClient(
      String serverName,
      URI uri,
      McpHttpClient http,
      Executor executor,
      McpJsonMapper json,
      Duration timeout,
      Map<String, Object> clientCapabilities,
      Map<String, Object> clientInfo) {
    this.timeout = requireNonNull(timeout, "timeout");
    this.serverName = requireNonNull(serverName, "serverName");
    this.uri = requireNonNull(uri, "uri");
    this.http = requireNonNull(http, "http");
    this.executor = requireNonNull(executor, "executor");
    this.json = requireNonNull(json, "json");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(META_PROTOCOL_VERSION, VERSION);
    m.put(META_CLIENT_CAPABILITIES, Map.copyOf(clientCapabilities));
    m.put(META_CLIENT_INFO, Map.copyOf(clientInfo));
    this.meta = java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Returns a client on the HTTP client and executor of {@code transport}, when it is the shared
   * Streamable HTTP client's transport (every transport module built on {@code
   * StreamableHttpTransports}); else null. The transport itself is never connected.
   */
  public static @Nullable StatelessHttpClient over(
      McpClientTransport transport,
      McpJsonMapper json,
      Map<String, Object> clientCapabilities,
      Map<String, Object> clientInfo) {
    if (!(transport instanceof StreamableHttpClientTransport)) {
      return null;
    }
    StreamableHttpClientTransport shared = (StreamableHttpClientTransport) transport;
    return new StatelessHttpClient(
        shared.serverName,
        shared.uri,
        shared.http,
        shared.executor,
        json,
        shared.settings.requestTimeout(),
        clientCapabilities,
        clientInfo);
  }

  /**
   * Sends one request and completes with its {@code result} object. Cancelling the future cancels
   * the HTTP call (closing the response stream is the cancellation signal of this revision).
   *
   * @param method the JSON-RPC method
   * @param params the params, without {@code _meta} (added here; entries of a given {@code _meta}
   *     are kept)
   * @param name the {@code Mcp-Name} source ({@code params.name} or {@code params.uri}), if any
   * @param toolName the tool of a {@code tools/call}, for header resolution
   * @param paramHeaders {@code Mcp-Param-*} headers, names and encoded values, in order
   * @param headers resolves the run's headers of this request
   */
  public CompletableFuture<Map<String, Object>> send(
      String method,
      Map<String, Object> params,
      @Nullable String name,
      @Nullable String toolName,
      Map<String, String> paramHeaders,
      HeaderSource headers) {
    RequestObserver observer = headers.observe(method, toolName);
    CompletableFuture<Map<String, Object>> result =
        send(method, params, name, toolName, paramHeaders, headers, observer);
    if (observer == null) {
      return result;
    }
    // The caller sees the outcome once the observation has it: a run never ends before the
    // observations of its requests.
    boolean isCall = "tools/call".equals(method);
    CompletableFuture<Map<String, Object>> observed =
        result.whenComplete(
            (ok, error) -> {
              if (error != null) {
                observer.requestFailed(error);
              } else {
                observer.requestSucceeded(isCall && Boolean.TRUE.equals(ok.get("isError")));
              }
            });
    // Cancelling what the caller holds cancels the exchange, as without an observer.
    observed.whenComplete(
        (ok, error) -> {
          if (error instanceof java.util.concurrent.CancellationException) {
            result.cancel(false);
          }
        });
    return observed;
  }

  private CompletableFuture<Map<String, Object>> send(
      String method,
      Map<String, Object> params,
      @Nullable String name,
      @Nullable String toolName,
      Map<String, String> paramHeaders,
      HeaderSource headers,
      @Nullable RequestObserver observer) {
    long id = ids.incrementAndGet();
    Map<String, Object> fullParams = new LinkedHashMap<>(params);
    Map<String, Object> fullMeta = new LinkedHashMap<>(meta);
    Object given = params.get("_meta");
    if (given instanceof Map<?, ?>) {
      ((Map<?, ?>) given).forEach((k, v) -> fullMeta.put(String.valueOf(k), v));
    }
    if (observer != null) {
      // Trace context, as on the session protocol: never replacing an entry the request has.
      observer.meta().forEach(fullMeta::putIfAbsent);
    }
    fullParams.put("_meta", fullMeta);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("jsonrpc", "2.0");
    message.put("id", id);
    message.put("method", method);
    message.put("params", fullParams);
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    String body;
    McpHttpCall call;
    try {
      body = json.writeValueAsString(message);
      Map<String, String> protocol = new LinkedHashMap<>();
      protocol.put(HttpHeaders.ACCEPT, ProtocolHeaders.JSON + ", " + ProtocolHeaders.EVENT_STREAM);
      protocol.put(HttpHeaders.PROTOCOL_VERSION, VERSION);
      protocol.put("Mcp-Method", method);
      if (name != null) {
        protocol.put("Mcp-Name", HeaderValues.encode(name));
      }
      protocol.putAll(paramHeaders);
      OutgoingRequest request = new OutgoingRequest("POST", uri, method, toolName);
      McpHeaders resolved = headers.headersFor(request);
      call = http.newCall(new McpHttpRequest(request, protocol, resolved, body, false));
    } catch (IOException e) {
      result.completeExceptionally(
          new IllegalStateException("Could not serialise a JSON-RPC request", e));
      return result;
    } catch (RuntimeException e) {
      // A failing provider or a cancelled run: nothing is sent.
      result.completeExceptionally(e);
      return result;
    }
    result.whenComplete(
        (ok, error) -> {
          if (error != null) {
            // Cancelled or timed out: closing the response stream is this revision's cancel.
            call.cancel();
          }
        });
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (observer != null) {
      observer.requestSent(id);
    }
    RunScope run = headers.run();
    if (run != null) {
      // A cancelled run ends the exchange now, not at the request timeout.
      Runnable unregister =
          run.onCancel(() -> result.completeExceptionally(run.cancelledException()));
      result.whenComplete((ok, error) -> unregister.run());
    }
    try {
      executor.execute(() -> exchange(call, method, id, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new IllegalStateException("The transport's executor refused the request", e));
    }
    return result;
  }

  private void exchange(
      McpHttpCall call, String method, long id, CompletableFuture<Map<String, Object>> result) {
    if (result.isDone()) {
      return;
    }
    boolean accepted = false;
    try (McpHttpResponse response = call.execute()) {
      int status = response.status();
      if (status >= 200 && status < 300) {
        accepted = true;
        result.complete(readResult(response, status, method, id));
        return;
      }
      if (status == 401 || status == 403) {
        result.completeExceptionally(
            TransportHttpException.forStatus(
                status, "POST", response.header("WWW-Authenticate"), false));
        return;
      }
      RpcError rpc = errorBody(response, status);
      result.completeExceptionally(
          rpc != null ? rpc : TransportHttpException.forStatus(status, "POST", null, false));
    } catch (RpcError | ResponseLostException | McpServerException e) {
      result.completeExceptionally(e);
    } catch (Throwable e) {
      Throwable mapped = http.mapFailure(e);
      if (accepted && !(mapped instanceof java.util.concurrent.TimeoutException)) {
        result.completeExceptionally(
            new ResponseLostException(
                serverName,
                method,
                "its response stream broke (" + mapped.getClass().getSimpleName() + ")",
                mapped));
      } else {
        result.completeExceptionally(mapped);
      }
    }
  }

  private Map<String, Object> readResult(
      McpHttpResponse response, int status, String method, long id) throws IOException {
    String type = StreamableHttpClientTransport.mediaType(response);
    if (type.equals(ProtocolHeaders.EVENT_STREAM)) {
      AtomicReference<@Nullable Map<String, Object>> found = new AtomicReference<>();
      AtomicReference<@Nullable RpcError> failed = new AtomicReference<>();
      SseReader.read(
          response.body(),
          new SseReader.Listener() {
            @Override
            public boolean onEvent(@Nullable String eventId, String eventType, String data) {
              if (data.isBlank()) {
                return true;
              }
              Map<String, Object> message;
              try {
                message = json.readValue(data, MAP);
              } catch (IOException | RuntimeException e) {
                return true;
              }
              if (!sameId(message.get("id"), id)) {
                // A notification about this request (progress, log): not the response.
                return true;
              }
              RpcError error = rpcError(message, status);
              if (error != null) {
                failed.set(error);
              } else {
                found.set(resultOf(message));
              }
              return false;
            }

            @Override
            public void onRetry(java.time.Duration retry) {}
          });
      RpcError error = failed.get();
      if (error != null) {
        throw error;
      }
      Map<String, Object> result = found.get();
      if (result == null) {
        throw new ResponseLostException(
            serverName, method, "its response stream ended before the response", null);
      }
      return result;
    }
    if (!type.equals(ProtocolHeaders.JSON)) {
      throw new McpServerException(
          serverName,
          uri,
          "answered " + method + " with HTTP " + status + " but neither JSON nor an event stream",
          null);
    }
    String text = StreamableHttpClientTransport.readText(response.body());
    Map<String, Object> message = json.readValue(text, MAP);
    RpcError error = rpcError(message, status);
    if (error != null) {
      throw error;
    }
    return resultOf(message);
  }

  private @Nullable RpcError errorBody(McpHttpResponse response, int status) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
      if (bytes.length == 0) {
        return null;
      }
      Map<String, Object> message = json.readValue(bytes, MAP);
      return rpcError(message, status);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable RpcError rpcError(Map<String, Object> message, int status) {
    Object error = message.get("error");
    if (!(error instanceof Map<?, ?>)) {
      return null;
    }
    Map<?, ?> map = (Map<?, ?>) error;
    Object code = map.get("code");
    if (!(code instanceof Number)) {
      return null;
    }
    Object text = map.get("message");
    return new RpcError(
        status,
        ((Number) code).intValue(),
        text instanceof String ? (String) text : "",
        map.get("data"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resultOf(Map<String, Object> message) {
    Object result = message.get("result");
    if (result instanceof Map<?, ?>) {
      return (Map<String, Object>) result;
    }
    throw new IllegalStateException("a JSON-RPC response without a result object");
  }

  private static boolean sameId(@Nullable Object value, long id) {
    if (value instanceof Number) {
      return ((Number) value).longValue() == id;
    }
    return Objects.equals(value, String.valueOf(id));
  }
}
