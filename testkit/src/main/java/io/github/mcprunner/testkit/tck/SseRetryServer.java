package io.github.mcprunner.testkit.tck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scripted loopback Streamable HTTP server for resumability (SEP-1699), as the MCP conformance
 * scenario {@code sse-retry} plays it: it answers {@code tools/call} with an event stream that
 * carries a priming event ({@code id}, optional {@code retry}, empty data) and then ends, with or
 * without the response; a GET with {@code Last-Event-ID} (a resumption) gets, as scripted, an event
 * stream with a priming event and the pending response, an event stream that ends at once without
 * it, 401 or 404. The standalone GET stream (no {@code Last-Event-ID}) gets a priming event and
 * stays open. Records every GET with its arrival time and the time each answer stream was closed
 * ({@link System#nanoTime()}, server side). Not public API.
 */
final class SseRetryServer implements AutoCloseable {

  /** What a {@code tools/call} stream carries before the server ends it. */
  enum CallStream {
    /** A priming event only: the response is left for a resumption. */
    PRIMING_ONLY,
    /** A priming event and the response. */
    PRIMING_AND_RESPONSE,
    /** A priming event, then one event whose data line runs past {@link #OVERSIZED_BYTES}. */
    OVERSIZED_EVENT,
    /** No stream: a JSON body of more than {@link #OVERSIZED_BYTES}. */
    OVERSIZED_JSON
  }

  /** The size of an oversized answer: 17 MiB, past the 16 MiB limit of mcp-runner's client. */
  static final int OVERSIZED_BYTES = 17 * 1024 * 1024;

  /** How the server answers a resumption (a GET with {@code Last-Event-ID} of an answer stream). */
  enum Resumption {
    /** An event stream: a priming event, then the pending response; kept open. */
    DELIVER,
    /** An event stream with a priming event only, ended at once. */
    NEVER_DELIVER,
    /** HTTP 401 with a {@code WWW-Authenticate} challenge. */
    UNAUTHORIZED,
    /** HTTP 404, as for a session the server forgot. */
    NOT_FOUND
  }

  /** A GET the server received. */
  record Get(long arrivedNanos, @Nullable String lastEventId, Map<String, List<String>> headers) {
    List<String> header(String name) {
      List<String> values = headers.get(name);
      return values == null ? List.of() : values;
    }

    boolean isResumption() {
      return lastEventId != null && lastEventId.startsWith(CALL_EVENT_PREFIX);
    }
  }

  static final String TOOL = "test_reconnection";
  static final String RESULT_TEXT = "resumed and delivered";
  static final String SESSION = "tck-sse-retry-session";
  private static final String CALL_EVENT_PREFIX = "call-event-";
  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

  private final HttpServer server;
  private final ExecutorService threads;
  private final @Nullable Integer retryMillis;
  private final CallStream callStream;
  private final Resumption resumption;
  private final AtomicInteger eventIds = new AtomicInteger();
  private final AtomicInteger streamIds = new AtomicInteger();
  private final List<Get> gets = new CopyOnWriteArrayList<>();
  private final List<String> callPrimingIds = new CopyOnWriteArrayList<>();
  private final List<Long> callStreamsClosedNanos = new CopyOnWriteArrayList<>();
  private final List<HttpExchange> openStreams = new CopyOnWriteArrayList<>();
  private final AtomicInteger deletes = new AtomicInteger();
  private final CountDownLatch deleted = new CountDownLatch(1);
  private final AtomicInteger toolCalls = new AtomicInteger();
  private final CountDownLatch initializeArrived = new CountDownLatch(1);
  private volatile CountDownLatch initializeGate = new CountDownLatch(0);
  private volatile Runnable onDelete = () -> {};
  private volatile @Nullable Object pendingCallId;
  // The JSON-RPC id of the tools/call each event id belongs to, and each call's result text.
  private final Map<String, Object> callOfEvent = new ConcurrentHashMap<>();
  private final Map<Object, String> resultOfCall = new ConcurrentHashMap<>();

  private SseRetryServer(
      HttpServer server,
      ExecutorService threads,
      @Nullable Integer retryMillis,
      CallStream callStream,
      Resumption resumption) {
    this.server = server;
    this.threads = threads;
    this.retryMillis = retryMillis;
    this.callStream = callStream;
    this.resumption = resumption;
  }

  /**
   * Starts the server on a free loopback port.
   *
   * @param retryMillis the {@code retry} of every priming event, null for none
   */
  static SseRetryServer start(
      @Nullable Integer retryMillis, CallStream callStream, Resumption resumption)
      throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "tck-sse-retry");
              thread.setDaemon(true);
              return thread;
            });
    SseRetryServer server = new SseRetryServer(http, threads, retryMillis, callStream, resumption);
    http.setExecutor(threads);
    http.createContext("/mcp", server::handle);
    http.start();
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
  }

  /** The GETs with {@code Last-Event-ID} of an answer stream, in arrival order. */
  List<Get> resumptions() {
    return gets.stream().filter(Get::isResumption).toList();
  }

  /**
   * The result text of the {@code tools/call} whose stream carried the event {@code eventId}:
   * {@link #RESULT_TEXT}, followed by {@code " for "} and the call's {@code nonce} argument when it
   * had one; null for an unknown event.
   */
  @Nullable String resultOfEvent(String eventId) {
    Object call = callOfEvent.get(eventId);
    return call == null ? null : resultOfCall.get(call);
  }

  /** The ids of the priming events of the {@code tools/call} streams, in order. */
  List<String> callPrimingIds() {
    return List.copyOf(callPrimingIds);
  }

  /** When each {@code tools/call} stream was ended ({@link System#nanoTime()}), in order. */
  List<Long> callStreamsClosedNanos() {
    return List.copyOf(callStreamsClosedNanos);
  }

  int toolCalls() {
    return toolCalls.get();
  }

  int deletes() {
    return deletes.get();
  }

  /** Makes the answer to initialize wait until {@link #releaseInitialize()} (at most 30 s). */
  void holdInitialize() {
    initializeGate = new CountDownLatch(1);
  }

  void releaseInitialize() {
    initializeGate.countDown();
  }

  /** Waits until an initialize arrived; returns whether one did within {@code wait}. */
  boolean awaitInitialize(Duration wait) throws InterruptedException {
    return initializeArrived.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code action} when a DELETE arrives, before it is answered. */
  void onDelete(Runnable action) {
    onDelete = action;
  }

  /** Waits until the client deleted its session; returns whether it did within {@code wait}. */
  boolean awaitDelete(Duration wait) throws InterruptedException {
    return deleted.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The gap between the end of the first {@code tools/call} stream and the first resumption. */
  Duration firstResumptionGap() {
    return Duration.ofNanos(resumptions().get(0).arrivedNanos() - callStreamsClosedNanos.get(0));
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    try {
      switch (exchange.getRequestMethod()) {
        case "POST":
          post(exchange);
          break;
        case "GET":
          get(exchange, arrived);
          break;
        case "DELETE":
          deletes.incrementAndGet();
          onDelete.run();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          deleted.countDown();
          break;
        default:
          exchange.sendResponseHeaders(405, -1);
          exchange.close();
      }
    } catch (IOException | RuntimeException e) {
      exchange.close();
    }
  }

  private void post(HttpExchange exchange) throws IOException {
    Map<String, Object> message =
        JSON.readValue(
            exchange.getRequestBody().readAllBytes(), new TypeRef<Map<String, Object>>() {});
    Object method = message.get("method");
    Object id = message.get("id");
    if (id == null) {
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
      return;
    }
    if ("initialize".equals(method)) {
      initializeArrived.countDown();
      try {
        initializeGate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while holding initialize", e);
      }
      Object params = message.get("params");
      Object version =
          params instanceof Map ? ((Map<?, ?>) params).get("protocolVersion") : "2025-11-25";
      json(
          exchange,
          id,
          Map.of(
              "protocolVersion",
              version,
              "capabilities",
              Map.of("tools", Map.of()),
              "serverInfo",
              Map.of("name", "tck-sse-retry", "version", "1.0.0")));
    } else if ("tools/list".equals(method)) {
      json(
          exchange,
          id,
          Map.of(
              "tools",
              List.of(
                  Map.of(
                      "name",
                      TOOL,
                      "description",
                      "Ends its answer stream to make the client resume it",
                      "inputSchema",
                      Map.of("type", "object", "properties", Map.of())))));
    } else if ("tools/call".equals(method)) {
      toolCalls.incrementAndGet();
      pendingCallId = id;
      Object params = message.get("params");
      Object arguments = params instanceof Map ? ((Map<?, ?>) params).get("arguments") : null;
      Object nonce = arguments instanceof Map ? ((Map<?, ?>) arguments).get("nonce") : null;
      resultOfCall.put(id, nonce == null ? RESULT_TEXT : RESULT_TEXT + " for " + nonce);
      if (callStream == CallStream.OVERSIZED_JSON) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Mcp-Session-Id", SESSION);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          write(out, "{\"jsonrpc\":\"2.0\",\"id\":" + JSON.writeValueAsString(id) + ",\"result\":");
          write(out, "{\"content\":[{\"type\":\"text\",\"text\":\"");
          writeFiller(out);
          write(out, "\"}]}}");
        }
        return;
      }
      startEventStream(exchange);
      String primingId = CALL_EVENT_PREFIX + eventIds.incrementAndGet();
      callPrimingIds.add(primingId);
      callOfEvent.put(primingId, id);
      OutputStream out = exchange.getResponseBody();
      write(out, priming(primingId));
      if (callStream == CallStream.PRIMING_AND_RESPONSE) {
        write(out, responseEvent(id));
      } else if (callStream == CallStream.OVERSIZED_EVENT) {
        write(out, "event: message\ndata: ");
        writeFiller(out);
        write(out, "\n\n");
      }
      exchange.close();
      // After the close: the measured gap to a resumption is never longer than the real one.
      callStreamsClosedNanos.add(System.nanoTime());
    } else {
      json(exchange, id, Map.of());
    }
  }

  private void get(HttpExchange exchange, long arrived) throws IOException {
    String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    Get get = new Get(arrived, lastEventId, Collections.unmodifiableMap(headers));
    gets.add(get);
    if (!get.isResumption()) {
      // The standalone stream: a priming event, then open until the client or the server ends.
      startEventStream(exchange);
      write(exchange.getResponseBody(), priming("stream-event-" + streamIds.incrementAndGet()));
      openStreams.add(exchange);
      return;
    }
    // The call whose stream is resumed: the one the Last-Event-ID belongs to.
    Object known = callOfEvent.get(lastEventId);
    Object call = known != null ? known : pendingCallId;
    switch (resumption) {
      case UNAUTHORIZED:
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tck\"");
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      case NOT_FOUND:
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      case NEVER_DELIVER:
        startEventStream(exchange);
        write(exchange.getResponseBody(), priming(callEvent(call)));
        exchange.close();
        return;
      default:
        startEventStream(exchange);
        OutputStream out = exchange.getResponseBody();
        write(out, priming(callEvent(call)));
        write(out, responseEvent(call));
        openStreams.add(exchange);
    }
  }

  private String priming(String id) {
    return "id: "
        + id
        + "\n"
        + (retryMillis == null ? "" : "retry: " + retryMillis + "\n")
        + "data: \n\n";
  }

  /** Returns a new event id of the stream of {@code call}. */
  private String callEvent(@Nullable Object call) {
    String eventId = CALL_EVENT_PREFIX + eventIds.incrementAndGet();
    if (call != null) {
      callOfEvent.put(eventId, call);
    }
    return eventId;
  }

  private String responseEvent(@Nullable Object id) throws IOException {
    String text = id == null ? null : resultOfCall.get(id);
    String response =
        JSON.writeValueAsString(
            Map.of(
                "jsonrpc",
                "2.0",
                "id",
                id == null ? "none" : id,
                "result",
                Map.of(
                    "content",
                    List.of(Map.of("type", "text", "text", text == null ? RESULT_TEXT : text)))));
    return "event: message\nid: " + callEvent(id) + "\ndata: " + response + "\n\n";
  }

  private static void startEventStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("Mcp-Session-Id", SESSION);
    exchange.sendResponseHeaders(200, 0);
  }

  /** Writes {@link #OVERSIZED_BYTES} of ASCII letters; fails once the client stopped reading. */
  private static void writeFiller(OutputStream out) throws IOException {
    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
    for (int written = 0; written < OVERSIZED_BYTES; written += chunk.length) {
      out.write(chunk);
    }
    out.flush();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void json(HttpExchange exchange, Object id, Object result) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", id, "result", result));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Mcp-Session-Id", SESSION);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    for (HttpExchange stream : openStreams) {
      stream.close();
    }
    server.stop(0);
    threads.shutdownNow();
  }
}
