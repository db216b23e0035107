package com.example.sso;

import io.github.mcprunner.headers.McpServerRef;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SSO tickets per user and MCP server, fetched from the token endpoint and kept until {@link
 * #REFRESH_MARGIN} before they expire.
 *
 * <p>The endpoint (Example Corp's, fictional) takes a form POST {@code user=...&audience=...} with
 * the service's {@code X-Client-Secret} header and answers a form body {@code
 * ticket=...&expires_in=SECONDS}.
 */
final class TicketCache {

  /** A ticket is renewed this long before it expires, so no request carries an expired one. */
  static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private record Key(String user, URI audience) {}

  private record Ticket(String value, Instant renewAt) {}

  private final URI endpoint;
  private final String clientSecret;
  private final HttpClient http;
  private final Clock clock;
  private final ConcurrentHashMap<Key, Ticket> tickets = new ConcurrentHashMap<>();

  TicketCache(URI endpoint, String clientSecret, HttpClient http, Clock clock) {
    this.endpoint = endpoint;
    this.clientSecret = clientSecret;
    this.http = http;
    this.clock = clock;
  }

  /** Returns a valid ticket of {@code user} for {@code server}, fetching one if needed. */
  String ticketFor(String user, McpServerRef server) {
    Key key = new Key(user, server.uri());
    Ticket cached = tickets.get(key);
    if (cached != null && clock.instant().isBefore(cached.renewAt())) {
      return cached.value(); // the path of almost every request: no lock, no I/O
    }
    // compute() runs one fetch per key at a time: concurrent requests of the same user wait for
    // it instead of each asking the SSO (single flight). A failed fetch leaves the entry as it was.
    return tickets
        .compute(
            key,
            (k, old) ->
                old != null && clock.instant().isBefore(old.renewAt())
                    ? old
                    : fetch(k, server.name()))
        .value();
  }

  /** Drops the cached ticket of {@code user} for {@code server}. */
  void forget(String user, McpServerRef server) {
    tickets.remove(new Key(user, server.uri()));
  }

  private Ticket fetch(Key key, String serverName) {
    String form =
        "user="
            + URLEncoder.encode(key.user(), StandardCharsets.UTF_8)
            + "&audience="
            + URLEncoder.encode(key.audience().toString(), StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Client-Secret", clientSecret)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    Instant asked = clock.instant();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Example SSO token endpoint could not be reached for a ticket for server '"
              + serverName
              + "'",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while asking Example SSO for a ticket for server '" + serverName + "'");
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "Example SSO token endpoint answered HTTP "
              + response.statusCode()
              + " to a ticket request for server '"
              + serverName
              + "'");
    }
    Map<String, String> fields = parseForm(response.body());
    String ticket = fields.get("ticket");
    long expiresIn;
    try {
      expiresIn = Long.parseLong(fields.getOrDefault("expires_in", ""));
    } catch (NumberFormatException e) {
      expiresIn = -1;
    }
    if (ticket == null || ticket.isBlank() || expiresIn <= 0) {
      throw new IllegalStateException(
          "Example SSO token endpoint answered without a ticket or lifetime for server '"
              + serverName
              + "'");
    }
    // Counted from when it was asked for, so the time the request took is never counted as valid.
    Instant expiresAt = asked.plusSeconds(expiresIn);
    return new Ticket(ticket, expiresAt.minus(REFRESH_MARGIN));
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.trim().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  /** The endpoint and how many tickets are cached; never a ticket or the secret. */
  @Override
  public String toString() {
    return "endpoint=" + endpoint + ", cached tickets=" + tickets.size();
  }
}
