package io.github.mcprunner.testkit.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers every request with response headers far past any HTTP client's
 * limit (512 KiB in 64 lines of {@link #MARKER} repeated), then keeps the connection open until the
 * client closes it, as a server behind a proxy that piles up headers would; or ({@link
 * #startTruncated()}) with the status line and the start of a header whose name and value hold
 * {@link #MARKER}, then a reset connection, as a server that crashes mid-answer would. Not public
 * API.
 */
final class HugeHeadersServer implements AutoCloseable {
  /** The text every padding header value repeats; no client failure may quote it. */
  static final String MARKER = "hdrsecret-";

  private static final int LINES = 64;
  private static final int LINE_VALUE_BYTES = 8000;

  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final boolean truncated;

  private HugeHeadersServer(ServerSocket socket, boolean truncated) {
    this.socket = socket;
    this.truncated = truncated;
  }

  static HugeHeadersServer start() throws IOException {
    return start(false);
  }

  /** Starts the server that breaks off its answer inside a header and resets the connection. */
  static HugeHeadersServer startTruncated() throws IOException {
    return start(true);
  }

  private static HugeHeadersServer start(boolean truncated) throws IOException {
    HugeHeadersServer server =
        new HugeHeadersServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), truncated);
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.socket.isClosed()) {
                try {
                  Socket client = server.socket.accept();
                  server.held.add(client);
                  Thread answer = new Thread(() -> server.answer(client), "tck-huge-headers");
                  answer.setDaemon(true);
                  answer.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "tck-huge-headers-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
  }

  /** Returns how many requests reached the server (their request headers read). */
  int requests() {
    return requests.get();
  }

  private void answer(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      if (!readRequestHead(in)) {
        return;
      }
      requests.incrementAndGet();
      if (truncated) {
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-"
                        + MARKER
                        + "name: "
                        + MARKER
                        + MARKER)
                    .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        // A reset, not an orderly end: the client is reading the header when the connection dies.
        client.setSoLinger(true, 0);
        return;
      }
      String value = MARKER.repeat(LINE_VALUE_BYTES / MARKER.length());
      StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
      head.append("Content-Type: application/json\r\n");
      for (int i = 0; i < LINES; i++) {
        head.append("X-Padding-").append(i).append(": ").append(value).append("\r\n");
      }
      head.append("Content-Length: 2\r\n\r\n{}");
      OutputStream out = client.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      client.setSoTimeout(20_000);
      // Hold the connection until the client lets go of it (the request body is read here too).
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // Discard.
      }
    } catch (IOException e) {
      // The client closed or reset the connection: expected.
    }
  }

  /** Reads up to the blank line ending the request head; false if the stream ended first. */
  private static boolean readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b = in.read(); b >= 0; b = in.read()) {
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
      if (matched == end.length) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Best effort.
    }
    for (Socket s : held) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Best effort.
      }
    }
  }
}
