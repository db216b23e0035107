package io.github.mcprunner.testkit.tck;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers every request with a redirect ({@code status}, {@code
 * Location} = the target) to another origin. Not public API.
 */
final class RedirectingServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private RedirectingServer(HttpServer server) {
    this.server = server;
  }

  static RedirectingServer start(int status, URI target) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    RedirectingServer redirecting = new RedirectingServer(http);
    http.createContext(
        "/",
        exchange -> {
          redirecting.requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Location", target.toString());
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    http.start();
    return redirecting;
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
