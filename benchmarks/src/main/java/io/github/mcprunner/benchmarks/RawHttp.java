package io.github.mcprunner.benchmarks;

import io.github.mcprunner.testkit.EmbeddedMcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The floor under both transports: the {@code tools/call} of {@link TransportComparison} as a bare
 * HTTP exchange on one MCP session, with no MCP client, no header chain and no JSON-RPC parsing:
 * the request body is a fixed string, the answer (an event stream) is read to its end. {@code
 * raw/httpclient} sends with {@link HttpClient#send} as {@code transport-httpclient} does (a client
 * whose own work runs on its selector thread, the body read from {@code ofInputStream}); {@code
 * raw/okhttp} executes on an {@link OkHttpClient}. What separates these two is the HTTP client
 * alone.
 */
final class RawHttp {
  private static final String CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\","
          + "\"params\":{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}}";
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  private static final String INITIALIZED =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  private static final MediaType JSON = MediaType.get("application/json");

  private RawHttp() {}

  /** A tools/call loop on {@link HttpClient}, as {@code transport-httpclient} builds its client. */
  static Interleaved.Call jdk(EmbeddedMcpServer server) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    URI uri = server.url();
    String session =
        jdkPost(client, uri, null, INITIALIZE).firstValue("Mcp-Session-Id").orElseThrow();
    jdkPost(client, uri, session, INITIALIZED);
    return () -> jdkPost(client, uri, session, call());
  }

  /** A tools/call loop on {@link OkHttpClient}. */
  static Interleaved.Call okhttp(EmbeddedMcpServer server) {
    OkHttpClient client = new OkHttpClient.Builder().followRedirects(false).build();
    String url = server.url().toString();
    @Nullable String session;
    try (Response response = okPost(client, url, null, INITIALIZE)) {
      session = response.header("Mcp-Session-Id");
      response.body().bytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String id = java.util.Objects.requireNonNull(session, "no session id");
    okRead(client, url, id, INITIALIZED);
    return () -> okRead(client, url, id, call());
  }

  private static String call() {
    return String.format(CALL, ThreadLocalRandom.current().nextInt(1, 1_000_000));
  }

  private static HttpHeaders jdkPost(
      HttpClient client, URI uri, @Nullable String session, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer token-" + ThreadLocalRandom.current().nextInt(8))
            .header("X-User-Id", "u0");
    if (session != null) {
      request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        body.readAllBytes();
      }
      check(response.statusCode());
      return response.headers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void okRead(
      OkHttpClient client, String url, @Nullable String session, String json) {
    try (Response response = okPost(client, url, session, json)) {
      response.body().bytes();
      check(response.code());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response okPost(
      OkHttpClient client, String url, @Nullable String session, String json) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(json, JSON))
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer token-" + ThreadLocalRandom.current().nextInt(8))
            .header("X-User-Id", "u0");
    if (session != null) {
      request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
    }
    return client.newCall(request.build()).execute();
  }

  private static void check(int status) {
    if (status / 100 != 2) {
      throw new IllegalStateException("HTTP " + status);
    }
  }
}
