package io.github.mcprunner.testkit.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of another loopback port, that the test can kill:
 * {@link #kill()} closes the listening socket and every connection at once, as a server that
 * crashed would. Not public API.
 */
final class LoopbackProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean killed;

  private LoopbackProxy(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
  }

  static LoopbackProxy start(int targetPort) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    LoopbackProxy proxy = new LoopbackProxy(listener, targetPort);
    Thread acceptor = new Thread(proxy::acceptLoop, "tck-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!killed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        sockets.add(client);
        sockets.add(server);
        if (killed) {
          closeQuietly(client);
          closeQuietly(server);
          return;
        }
        pipe(client, server);
        pipe(server, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // One side went away: close both.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tck-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Closes the listener and every connection, both ways. */
  void kill() {
    killed = true;
    closeQuietly(listener);
    for (Socket socket : sockets) {
      try {
        // An abortive close (RST), as a crashed peer's kernel answers.
        socket.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // Already closed.
      }
      closeQuietly(socket);
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Closing is best effort here.
    }
  }
}
