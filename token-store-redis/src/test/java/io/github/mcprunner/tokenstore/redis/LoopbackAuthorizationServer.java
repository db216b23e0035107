package io.github.mcprunner.tokenstore.redis;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authorization server on loopback for the authorization code grant, which mock-oauth2-server
 * does not play with dynamic client registration: metadata, dynamic client registration, an
 * authorization endpoint approving at once, and a token endpoint issuing opaque access tokens with
 * refresh tokens (for codes it issued, and refresh tokens it issued to the same client). Records
 * every request.
 */
final class LoopbackAuthorizationServer implements AutoCloseable {
  /** A request as received. */
  record Received(String path, Map<String, List<String>> params, String authorization) {
    String param(String name) {
      List<String> values = params.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final String name;
  private final AtomicInteger counter = new AtomicInteger();
  final List<Received> received = new CopyOnWriteArrayList<>();

  /** Every access token issued and still honoured. */
  final Set<String> accessTokens = ConcurrentHashMap.newKeySet();

  private final Map<String, String> refreshTokenClients = new ConcurrentHashMap<>();
  private final Map<String, String> codeClients = new ConcurrentHashMap<>();
  private final Set<String> clients = ConcurrentHashMap.newKeySet();

  LoopbackAuthorizationServer(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI issuer() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> params =
        exchange.getRequestMethod().equals("POST") && !path.equals("/register")
            ? URLUtils.parseParameters(body)
            : URLUtils.parseParameters(exchange.getRequestURI().getRawQuery());
    Received request =
        new Received(path, params, exchange.getRequestHeaders().getFirst("Authorization"));
    received.add(request);
    String base = issuer().toString();
    switch (path) {
      case "/.well-known/oauth-authorization-server" ->
          answer(
              exchange,
              200,
              "{\"issuer\":\""
                  + base
                  + "\",\"authorization_endpoint\":\""
                  + base
                  + "/authorize\",\"token_endpoint\":\""
                  + base
                  + "/token\","
                  + "\"registration_endpoint\":\""
                  + base
                  + "/register\","
                  + "\"response_types_supported\":[\"code\"],"
                  + "\"code_challenge_methods_supported\":[\"S256\"],"
                  + "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\"],"
                  + "\"scopes_supported\":[\"offline_access\"]}");
      case "/register" -> {
        String clientId = name + "-client-" + counter.incrementAndGet();
        clients.add(clientId);
        answer(
            exchange,
            201,
            "{\"client_id\":\""
                + clientId
                + "\",\"client_secret\":\""
                + clientId
                + "-secret\",\"token_endpoint_auth_method\":\"client_secret_post\"}");
      }
      case "/authorize" -> {
        String code = name + "-code-" + counter.incrementAndGet();
        codeClients.put(code, request.param("client_id"));
        exchange
            .getResponseHeaders()
            .set(
                "Location",
                request.param("redirect_uri")
                    + "?code="
                    + code
                    + "&"
                    + URLUtils.serializeParameters(
                        Map.of("state", List.of(request.param("state")))));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
      }
      case "/token" -> token(exchange, request);
      default -> answer(exchange, 404, "{\"error\":\"not_found\"}");
    }
  }

  private void token(HttpExchange exchange, Received request) throws IOException {
    String client = request.param("client_id");
    if (client == null
        || !clients.contains(client)
        || !(client + "-secret").equals(request.param("client_secret"))) {
      answer(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    String grantOf =
        "authorization_code".equals(request.param("grant_type"))
            ? codeClients.remove(request.param("code"))
            : refreshTokenClients.get(String.valueOf(request.param("refresh_token")));
    if (!client.equals(grantOf)) {
      answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    int n = counter.incrementAndGet();
    String access = name + "-access-token-" + n;
    String refresh = name + "-refresh-token-" + n;
    accessTokens.add(access);
    refreshTokenClients.put(refresh, client);
    answer(
        exchange,
        200,
        "{\"access_token\":\""
            + access
            + "\",\"token_type\":\"Bearer\",\"expires_in\":600,"
            + "\"refresh_token\":\""
            + refresh
            + "\"}");
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
