package io.github.mcprunner.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server that speaks the OpenAI wire format from a script: each request gets the
 * next scripted answer (JSON, a server-sent-event stream, an error status with headers, or no
 * answer at all until the server closes). It records every request: method, path, headers and body.
 */
final class FakeOpenAiServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  private FakeOpenAiServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static FakeOpenAiServer start() {
    return new FakeOpenAiServer();
  }

  /** {@code http://127.0.0.1:PORT/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  FakeOpenAiServer enqueue(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  Call call(int index) {
    return calls.get(index);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name, List.copyOf(values)));
      calls.add(
          new Call(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              headers,
              new String(body, StandardCharsets.UTF_8)));
      Answer answer = script.poll();
      if (answer == null) {
        answer =
            Answer.status(
                500, "{\"error\":{\"message\":\"no scripted answer\",\"type\":\"test\"}}");
      }
      if (answer.hang) {
        closing.await(30, TimeUnit.SECONDS);
        return;
      }
      answer.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().set("Content-Type", answer.contentType);
      byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
      if (answer.contentType.startsWith("text/event-stream")) {
        exchange.sendResponseHeaders(answer.status, 0);
      } else {
        exchange.sendResponseHeaders(answer.status, bytes.length);
      }
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads a test resource under {@code openai/}. */
  static String fixture(String name) {
    try (InputStream in = FakeOpenAiServer.class.getResourceAsStream("/openai/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One scripted answer. */
  static final class Answer {
    final int status;
    final String contentType;
    final String body;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final boolean hang;

    private Answer(int status, String contentType, String body, boolean hang) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.hang = hang;
    }

    /** 200 with a JSON body. */
    static Answer json(String body) {
      return new Answer(200, "application/json", body, false);
    }

    /** 200 with a JSON fixture. */
    static Answer jsonFixture(String name) {
      return json(fixture(name));
    }

    /** 200 with an event stream fixture. */
    static Answer sseFixture(String name) {
      return sse(fixture(name));
    }

    /** 200 with an event stream. */
    static Answer sse(String events) {
      return new Answer(200, "text/event-stream", events, false);
    }

    /** {@code status} with a JSON body. */
    static Answer status(int status, String body) {
      return new Answer(status, "application/json", body, false);
    }

    /** No answer until the server closes. */
    static Answer hang() {
      return new Answer(0, "application/json", "", true);
    }

    Answer header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  /** One recorded request. */
  record Call(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Header names only: a recorded request carries the test key. */
    @Override
    public String toString() {
      return method + " " + path + " " + headers.keySet();
    }
  }
}
