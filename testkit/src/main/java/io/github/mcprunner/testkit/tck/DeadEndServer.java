package io.github.mcprunner.testkit.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Loopback sockets that play dead servers: one that accepts connections and never answers, and one
 * whose accept queue is full so that a connect attempt hangs until the client's connect timeout.
 * Not public API.
 */
final class DeadEndServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  private DeadEndServer(ServerSocket socket) {
    this.socket = socket;
  }

  int port() {
    return socket.getLocalPort();
  }

  /** A server that accepts every connection, reads nothing and answers nothing. */
  static DeadEndServer silent() throws IOException {
    DeadEndServer server =
        new DeadEndServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.socket.isClosed()) {
                try {
                  server.held.add(server.socket.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "tck-silent-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  /**
   * A server that never accepts, with its accept queue filled, so that the kernel drops further
   * SYNs and a client's connect times out (loopback only, no other address involved).
   *
   * @throws IllegalStateException if the queue could not be filled (a kernel that answers RST)
   */
  static DeadEndServer unaccepting() throws IOException {
    DeadEndServer server =
        new DeadEndServer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    for (int i = 0; i < 64; i++) {
      Socket probe = new Socket();
      try {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 200);
        server.held.add(probe);
      } catch (SocketTimeoutException full) {
        probe.close();
        return server;
      }
    }
    server.close();
    throw new IllegalStateException("could not fill the accept queue of a loopback socket");
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
