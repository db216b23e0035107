package io.github.mcprunner.headers.oauth;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protected resource's metadata and an authorization server on one loopback JDK HTTP server, for
 * the variants mock-oauth2-server cannot play: documents at chosen paths, a {@code resource} of the
 * test's choosing, an authorization endpoint that approves at once (302 to the redirect URI with a
 * code and the state), a registration endpoint, and a token endpoint that records every request.
 */
final class LoopbackAuthorization implements AutoCloseable {
  /** A request as received. */
  record Received(
      String method, String path, Map<String, List<String>> params, String authorization) {
    String param(String name) {
      List<String> values = params.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final Map<String, String> documents = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokens = new AtomicInteger();
  volatile String registrationAnswer =
      "{\"client_id\":\"registered-client\",\"client_secret\":\"registered-secret\","
          + "\"token_endpoint_auth_method\":\"client_secret_post\"}";
  volatile boolean issueRefreshTokens;
  volatile int expiresIn = 3600;

  /** How many of the next token requests are refused with {@code invalid_client} (HTTP 401). */
  final AtomicInteger refuseClient = new AtomicInteger();

  LoopbackAuthorization() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  URI uri(String path) {
    return URI.create(base() + path);
  }

  /** Serves {@code json} at {@code path} (GET). */
  LoopbackAuthorization document(String path, String json) {
    documents.put(path, json);
    return this;
  }

  /** Serves protected resource metadata for {@code resource} naming {@code issuer}. */
  LoopbackAuthorization resourceMetadata(
      String path, String resource, String issuer, String scopes) {
    return document(
        path,
        "{\"resource\":\""
            + resource
            + "\",\"authorization_servers\":[\""
            + issuer
            + "\"]"
            + (scopes == null ? "" : ",\"scopes_supported\":" + scopes)
            + "}");
  }

  /** Serves authorization server metadata for {@code issuer} (endpoints at the server's root). */
  LoopbackAuthorization serverMetadata(String path, String issuer, String extra) {
    return document(
        path,
        "{\"issuer\":\""
            + issuer
            + "\",\"authorization_endpoint\":\""
            + base()
            + "/authorize\",\"token_endpoint\":\""
            + base()
            + "/token\",\"registration_endpoint\":\""
            + base()
            + "/register\",\"response_types_supported\":[\"code\"],"
            + "\"code_challenge_methods_supported\":[\"S256\"]"
            + (extra == null ? "" : "," + extra)
            + "}");
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  List<String> paths() {
    return received.stream().map(Received::path).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    Map<String, List<String>> params =
        method.equals("POST")
            ? path.equals("/register")
                ? Map.of(
                    "json",
                    List.of(
                        new String(
                            exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)))
                : URLUtils.parseParameters(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
            : URLUtils.parseParameters(exchange.getRequestURI().getRawQuery());
    // This exchange's own record: with several users signing in at once, the last one recorded
    // may belong to another exchange (and carry its redirect URI and state).
    Received request =
        new Received(method, path, params, exchange.getRequestHeaders().getFirst("Authorization"));
    received.add(request);
    if (method.equals("GET") && documents.containsKey(path)) {
      answer(exchange, 200, documents.get(path));
    } else if (method.equals("GET") && path.equals("/authorize")) {
      String location =
          request.param("redirect_uri")
              + "?code=code-"
              + tokens.incrementAndGet()
              + "&state="
              + URLUtils.serializeParameters(Map.of("s", List.of(request.param("state"))))
                  .substring(2);
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    } else if (method.equals("POST") && path.equals("/register")) {
      answer(exchange, 201, registrationAnswer);
    } else if (method.equals("POST")
        && path.equals("/token")
        && refuseClient.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(exchange, 401, "{\"error\":\"invalid_client\"}");
    } else if (method.equals("POST") && path.equals("/token")) {
      int n = tokens.incrementAndGet();
      answer(
          exchange,
          200,
          "{\"access_token\":\"access-token-"
              + n
              + "\",\"token_type\":\"Bearer\",\"expires_in\":"
              + expiresIn
              + (issueRefreshTokens ? ",\"refresh_token\":\"refresh-token-" + n + "\"" : "")
              + "}");
    } else {
      answer(exchange, 404, "{\"error\":\"not_found\"}");
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
