package com.example.sso;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Example Corp's SSO token endpoint, as far as the provider needs it: a real HTTP server on a free
 * loopback port that issues tickets {@code tkt-<user>-<n>} to callers with the right client secret
 * and remembers which ticket it issued for which user and audience.
 */
final class FakeSsoEndpoint implements AutoCloseable {

  record Issued(String ticket, String user, String audience) {}

  private final HttpServer server;
  private final String clientSecret;
  private final AtomicInteger counter = new AtomicInteger();
  private final List<Issued> issued = new CopyOnWriteArrayList<>();
  private final Map<String, Issued> byTicket = new ConcurrentHashMap<>();
  private volatile long lifetimeSeconds = 300;
  private volatile int failWith;

  FakeSsoEndpoint(String clientSecret) throws IOException {
    this.clientSecret = clientSecret;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth/ticket", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/ticket");
  }

  List<Issued> issued() {
    return List.copyOf(issued);
  }

  /** Returns who a ticket was issued to, if this endpoint issued it. */
  java.util.Optional<Issued> lookup(String ticket) {
    return java.util.Optional.ofNullable(byTicket.get(ticket));
  }

  void lifetimeSeconds(long seconds) {
    this.lifetimeSeconds = seconds;
  }

  void failWith(int status) {
    this.failWith = status;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())
          || !clientSecret.equals(exchange.getRequestHeaders().getFirst("X-Client-Secret"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      if (failWith != 0) {
        exchange.sendResponseHeaders(failWith, -1);
        return;
      }
      Map<String, String> form = new HashMap<>();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String user = form.get("user");
      String audience = form.get("audience");
      if (user == null || audience == null) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      String ticket = "tkt-" + user + "-" + counter.incrementAndGet();
      Issued record = new Issued(ticket, user, audience);
      issued.add(record);
      byTicket.put(ticket, record);
      byte[] answer =
          ("ticket="
                  + URLEncoder.encode(ticket, StandardCharsets.UTF_8)
                  + "&expires_in="
                  + lifetimeSeconds)
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-www-form-urlencoded");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
