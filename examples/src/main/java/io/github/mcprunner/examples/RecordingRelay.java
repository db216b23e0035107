package io.github.mcprunner.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A recording relay on 127.0.0.1 in front of an external MCP server: every request is recorded as
 * it arrived (headers, JSON-RPC method, session id, then the status the server answered) and passed
 * on unchanged, and every response, event streams included, is streamed back as it comes. It lets
 * the demo show what an external server received, since only the server itself could otherwise
 * tell. Hop-by-hop headers ({@code Connection}, {@code Transfer-Encoding}, ...) and {@code Host}
 * are the relay's own on each side; redirects are passed back, never followed.
 */
final class RecordingRelay implements AutoCloseable {

  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host",
          "connection",
          "content-length",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection",
          "http2-settings");

  private final URI target;
  private final HttpServer server;
  private final ExecutorService threads;
  private final HttpClient upstream;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final AtomicInteger arrivals = new AtomicInteger();
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Integer> failures = new java.util.LinkedHashMap<>();

  /** A recorded request whose status is filled in once the server answered. */
  private static final class Entry {
    final SeenRequest request;
    volatile int status;

    Entry(SeenRequest request) {
      this.request = request;
    }
  }

  private RecordingRelay(URI target) throws IOException {
    this.target = target;
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "demo-relay");
              thread.setDaemon(true);
              return thread;
            });
    this.upstream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(threads)
            .build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::relay);
    server.setExecutor(threads);
    server.start();
  }

  /** Starts a relay to {@code target}, an absolute http(s) URL. */
  static RecordingRelay start(URI target) throws IOException {
    return new RecordingRelay(target);
  }

  /** Returns the URL clients use: the target's path and query on the relay's loopback port. */
  URI url() {
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
    return URI.create("http://" + host() + ":" + server.getAddress().getPort() + path + query);
  }

  private String host() {
    String address = server.getAddress().getAddress().getHostAddress();
    return address.contains(":") ? "[" + address + "]" : address;
  }

  /**
   * Returns every request received so far, in arrival order, with the status answered (0 before).
   */
  List<SeenRequest> requests() {
    List<SeenRequest> snapshot = new ArrayList<>();
    synchronized (entries) {
      for (Entry entry : entries) {
        SeenRequest r = entry.request;
        snapshot.add(
            new SeenRequest(
                r.arrival(),
                r.httpMethod(),
                r.mcpMethod(),
                r.toolName(),
                r.headers(),
                r.sessionId(),
                entry.status));
      }
    }
    return snapshot;
  }

  /**
   * Returns why requests could not be passed on to the server (the cause, e.g. {@code
   * ConnectException: Connection refused}), with how many requests failed so, in first-seen order.
   */
  Map<String, Integer> upstreamFailures() {
    synchronized (failures) {
      return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    }
  }

  /** Returns the server the relay passes requests on to. */
  URI target() {
    return target;
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      byte[] body = exchange.getRequestBody().readAllBytes();
      @Nullable String[] rpc = rpcMethodAndTool(body);
      Entry entry;
      synchronized (entries) {
        entry =
            new Entry(
                new SeenRequest(
                    arrivals.incrementAndGet(),
                    method,
                    rpc[0],
                    rpc[1],
                    exchange.getRequestHeaders(),
                    exchange.getRequestHeaders().getFirst("Mcp-Session-Id"),
                    0));
        entries.add(entry);
      }
      URI uri =
          target.resolve(
              exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .method(
                  method,
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(value -> request.header(name, value));
                }
              });
      HttpResponse<InputStream> response;
      try {
        response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        entry.status = 502;
        String cause = UpstreamCheck.cause(e);
        synchronized (failures) {
          failures.merge(cause, 1, Integer::sum);
        }
        byte[] text =
            ("mcp-runner demo relay: "
                    + UpstreamCheck.unreachable(uri, e).getMessage()
                    + System.lineSeparator())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(502, text.length);
        exchange.getResponseBody().write(text);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        entry.status = 503;
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      entry.status = response.statusCode();
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!name.startsWith(":")
                    && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      boolean noBody =
          length == 0
              || response.statusCode() == 204
              || response.statusCode() == 304
              || method.equals("HEAD");
      try (InputStream in = response.body()) {
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : 0);
        if (!noBody) {
          OutputStream out = exchange.getResponseBody();
          byte[] buffer = new byte[8192];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush(); // event streams: pass each event on at once
          }
        }
      }
    }
  }

  /** Returns the JSON-RPC method and the tool of a {@code tools/call} in a POST body, or nulls. */
  private @Nullable String[] rpcMethodAndTool(byte[] body) {
    if (body.length == 0) {
      return new String[2];
    }
    try {
      Object message = json.readValue(body, Object.class);
      if (message instanceof List<?> batch && !batch.isEmpty()) {
        message = batch.get(0);
      }
      if (message instanceof Map<?, ?> map && map.get("method") instanceof String method) {
        String tool = null;
        if (map.get("params") instanceof Map<?, ?> params
            && params.get("name") instanceof String name) {
          tool = "tools/call".equals(method) ? name : null;
        }
        return new String[] {method, tool};
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON-RPC: recorded without a method, relayed all the same.
    }
    return new String[2];
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
