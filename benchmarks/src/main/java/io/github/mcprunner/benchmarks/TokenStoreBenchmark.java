package io.github.mcprunner.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.ClientAuthentication;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import io.github.mcprunner.tokenstore.redis.RedisTokenStore;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm-token resolution of the token exchange provider with the default in-memory cache ({@link
 * #inMemory()}) and with the Redis token store ({@link #redisStore()}): the provider's {@code
 * headers(context)} for a user and server whose token it already holds, which is what every HTTP
 * request to an MCP server pays. The token endpoint is a loopback HTTP server; Redis is a {@code
 * redis-server} process the benchmark starts on a free loopback port (it must be installed).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TokenStoreBenchmark {
  private HttpServer tokenEndpoint;
  private Process redis;
  private Path redisDir;
  private RedisTokenStore store;
  private McpHeaderProvider inMemory;
  private McpHeaderProvider withRedis;
  private HeaderContext context;

  @Setup
  public void setUp() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    tokenEndpoint =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenEndpoint.createContext(
        "/token",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"access_token\":\"token-"
                      + issued.incrementAndGet()
                      + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                      + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    tokenEndpoint.start();
    URI endpoint =
        URI.create("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token");
    RedisProcess started = startRedis();
    redis = started.process();
    redisDir = started.dir();
    int port = started.port();
    store =
        RedisTokenStore.builder()
            .uri("redis://127.0.0.1:" + port)
            .encryptionKey(
                "bench", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
            .build();
    inMemory = provider(endpoint).build();
    withRedis = provider(endpoint).tokenStore(store).build();
    context =
        HeaderContext.builder(McpServerRef.of("crm", "https://crm.example.com/mcp"))
            .runId("run-1")
            .put(ContextKey.SUBJECT_TOKEN, "eyJhbGciOiJSUzI1NiJ9.subject.sig")
            .build();
    // Warm both, and check each resolved a token (two token requests in all).
    if (inMemory().get("Authorization").isEmpty()
        || redisStore().get("Authorization").isEmpty()
        || issued.get() != 2) {
      throw new IllegalStateException("the providers did not resolve a token");
    }
  }

  private static TokenExchangeHeadersProvider.Builder provider(URI endpoint) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(endpoint)
        .clientAuthentication(ClientAuthentication.clientSecretBasic("bench", "secret"));
  }

  /**
   * A redis-server this benchmark started, listening on {@code port}, with its files in {@code
   * dir}.
   */
  private record RedisProcess(Process process, Path dir, int port) {}

  private static RedisProcess startRedis() throws IOException, InterruptedException {
    String executable = null;
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      if (new File(dir, "redis-server").canExecute()) {
        executable = new File(dir, "redis-server").getPath();
        break;
      }
    }
    if (executable == null) {
      throw new IllegalStateException(
          "redis-server is not installed (apt-get install redis-server): TokenStoreBenchmark"
              + " needs it");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path redisDir = Files.createTempDirectory("token-store-benchmark");
    Process redis =
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
                redisDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(redisDir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return new RedisProcess(redis, redisDir, port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !redis.isAlive()) {
          throw new IllegalStateException("redis-server did not start");
        }
        Thread.sleep(20);
      }
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    store.close();
    redis.destroy();
    redis.waitFor(10, TimeUnit.SECONDS);
    tokenEndpoint.stop(0);
    Files.deleteIfExists(redisDir.resolve("redis.log"));
    Files.deleteIfExists(redisDir);
  }

  @Benchmark
  public McpHeaders inMemory() {
    return inMemory.headers(context);
  }

  @Benchmark
  public McpHeaders redisStore() {
    return withRedis.headers(context);
  }
}
