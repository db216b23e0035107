package io.github.mcprunner.tokenstore.redis;

import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process of the test's own, on a free loopback port, with nothing
 * persisted (a temporary directory, no snapshots, no append-only file). Where {@code redis-server}
 * is not installed the test is skipped with a message saying how to install it, except under CI
 * (the {@code CI} environment variable set), where it fails: {@code .ci/run} installs it.
 */
final class RedisServer implements AutoCloseable {
  private final String executable;
  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(String executable, int port, Path dir) {
    this.executable = executable;
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server, or skips (fails under CI) the test where {@code redis-server} is missing. */
  static RedisServer start() throws IOException {
    String executable = findExecutable();
    if (executable == null) {
      String message =
          "redis-server is not installed (Debian/Ubuntu: apt-get install redis-server); the Redis"
              + " token store tests need a real one";
      if (System.getenv("CI") != null) {
        fail(message + ", and CI is set");
      }
      Assumptions.abort(message + ": skipped");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisServer server =
        new RedisServer(executable, port, Files.createTempDirectory("token-store-redis-test"));
    server.startProcess();
    return server;
  }

  private static String findExecutable() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }

  private void startProcess() throws IOException {
    process =
        new ProcessBuilder(
                executable,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--loglevel",
                "warning")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!answersPing()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited at start: " + Files.readString(dir.resolve("redis.log")));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not answer on port " + port);
      }
      Thread.onSpinWait();
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[7];
      int read = in.readNBytes(answer, 0, 7);
      return read == 7 && new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the process at once (SIGKILL): Redis "down" mid-run. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the process again on the same port, empty (nothing was persisted). */
  void restart() throws IOException {
    startProcess();
  }

  /** Returns every key and its value, read with a client of the test's own. */
  Map<String, String> contents() {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      Map<String, String> out = new LinkedHashMap<>();
      ScanIterator<String> keys = ScanIterator.scan(connection.sync(), ScanArgs.Builder.limit(500));
      while (keys.hasNext()) {
        String key = keys.next();
        String value = connection.sync().get(key);
        if (value != null) {
          out.put(key, value);
        }
      }
      return out;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Returns the remaining time to live of {@code key} in milliseconds (-1: none, -2: no key). */
  long pttl(String key) {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().pttl(key);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Empties the database. */
  void flush() {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().flushall();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws IOException {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
