package io.github.mcprunner.testkit.tck;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A loopback Streamable HTTP server on plain sockets whose {@code tools/call} answer stalls: the
 * status, the headers of an event stream and a priming event arrive, then nothing, for ever ({@link
 * #TOOL}); or nothing at all arrives, not even the status line ({@link #SILENT_TOOL}); or the
 * response event arrives and the stream is then left open, for ever ({@link #ANSWERING_TOOL}). It
 * answers initialize and {@code tools/list} with JSON, notifications with 202, GET with 405 (no
 * event stream), DELETE with 200. On the socket it can tell when the client closes the stalled
 * stream's connection, which a server on a higher-level HTTP library cannot. Not public API.
 */
final class StallingServer implements AutoCloseable {
  static final String TOOL = "stall";
  static final String SILENT_TOOL = "stall_silent";
  static final String ANSWERING_TOOL = "answer_then_stall";
  static final String ANSWER = "answered, stream left open";
  static final String SESSION = "tck-stalling-session";
  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

  private final ServerSocket socket;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger toolCalls = new AtomicInteger();
  private final CountDownLatch callStreamClosed = new CountDownLatch(1);

  private StallingServer(ServerSocket socket) {
    this.socket = socket;
  }

  static StallingServer start() throws IOException {
    StallingServer server =
        new StallingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread acceptor = new Thread(server::accept, "tck-stalling-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
  }

  int toolCalls() {
    return toolCalls.get();
  }

  /**
   * Waits until the client closed the connection of the stalled {@code tools/call} stream; returns
   * whether it did within {@code wait}.
   */
  boolean awaitCallStreamClosed(Duration wait) throws InterruptedException {
    return callStreamClosed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        connections.add(connection);
        Thread handler = new Thread(() -> serve(connection), "tck-stalling");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      while (true) {
        String requestLine = line(in);
        if (requestLine == null) {
          return;
        }
        int length = 0;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
          int colon = header.indexOf(':');
          if (colon > 0
              && header
                  .substring(0, colon)
                  .trim()
                  .toLowerCase(Locale.ROOT)
                  .equals("content-length")) {
            length = Integer.parseInt(header.substring(colon + 1).trim());
          }
        }
        byte[] body = in.readNBytes(length);
        String method = requestLine.split(" ", 2)[0];
        if ("POST".equals(method)) {
          if (!post(body, in, out)) {
            return;
          }
        } else if ("DELETE".equals(method)) {
          write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        } else {
          write(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        }
      }
    } catch (IOException | RuntimeException e) {
      // The client went away; nothing to answer.
    }
  }

  /** Answers one POST; returns false when the connection is done with. */
  private boolean post(byte[] body, InputStream in, OutputStream out) throws IOException {
    Map<String, Object> message = JSON.readValue(body, new TypeRef<Map<String, Object>>() {});
    Object id = message.get("id");
    Object method = message.get("method");
    if (id == null) {
      write(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
      return true;
    }
    if ("tools/call".equals(method)) {
      toolCalls.incrementAndGet();
      Object params = message.get("params");
      Object tool = params instanceof Map ? ((Map<?, ?>) params).get("name") : null;
      if (!SILENT_TOOL.equals(tool)) {
        // The body runs to the end of the connection: no length, no chunks.
        write(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Mcp-Session-Id: "
                + SESSION
                + "\r\nConnection: close\r\n\r\nid: stall-1\ndata: \n\n");
      }
      if (ANSWERING_TOOL.equals(tool)) {
        Map<String, Object> result =
            Map.of("content", List.of(Map.of("type", "text", "text", ANSWER)), "isError", false);
        write(
            out,
            "id: stall-2\nevent: message\ndata: "
                + JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "result", result))
                + "\n\n");
      }
      // Stalled: the next thing on this connection is the client closing it (-1 or a reset).
      try {
        while (in.read() >= 0) {
          // Nothing the client sends matters now.
        }
      } catch (IOException reset) {
        // Closed by a reset: closed all the same.
      }
      callStreamClosed.countDown();
      return false;
    }
    Object result;
    if ("initialize".equals(method)) {
      Object params = message.get("params");
      result =
          Map.of(
              "protocolVersion",
              params instanceof Map ? ((Map<?, ?>) params).get("protocolVersion") : "2025-11-25",
              "capabilities",
              Map.of("tools", Map.of()),
              "serverInfo",
              Map.of("name", "tck-stalling", "version", "1.0.0"));
    } else if ("tools/list".equals(method)) {
      result =
          Map.of(
              "tools",
              List.of(
                  Map.of(
                      "name",
                      TOOL,
                      "description",
                      "Answers with an event stream that stalls after its priming event",
                      "inputSchema",
                      Map.of("type", "object", "properties", Map.of())),
                  Map.of(
                      "name",
                      ANSWERING_TOOL,
                      "description",
                      "Answers on an event stream that then stays open",
                      "inputSchema",
                      Map.of("type", "object", "properties", Map.of())),
                  Map.of(
                      "name",
                      SILENT_TOOL,
                      "description",
                      "Never answers, not even with a status line",
                      "inputSchema",
                      Map.of("type", "object", "properties", Map.of()))));
    } else {
      result = Map.of();
    }
    byte[] json = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", id, "result", result));
    write(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: "
            + SESSION
            + "\r\nContent-Length: "
            + json.length
            + "\r\n\r\n");
    out.write(json);
    out.flush();
    return true;
  }

  private static @Nullable String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Best effort.
    }
    for (Socket connection : connections) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // Best effort.
      }
    }
  }
}
