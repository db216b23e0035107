package io.github.mcprunner.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.testkit.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The factory's client lifecycle: closing ends its threads and closes the idle connections of the
 * client it built, leaves a user's client alone, and no request is sent twice by OkHttp (every
 * session gets one DELETE).
 */
class ClientLifecycleTest {
  private static final Predicate<String> OWN_THREADS = name -> name.startsWith("mcp-okhttp-");

  private EmbeddedMcpServer server;
  private final List<Runner> runners = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
  }

  @AfterEach
  void stop() {
    runners.forEach(Runner::close);
    server.close();
  }

  private Runner runner(OkHttpTransportFactory factory) {
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(factory)
            .build();
    runners.add(runner);
    return runner;
  }

  private Agent agent() {
    return agent(McpServerSpec.builder("tickets", server.url()).build());
  }

  private static Agent agent(McpServerSpec spec) {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(spec)
        .build();
  }

  private static void runAll(Runner runner, Agent agent, int identities) throws Exception {
    List<CompletableFuture<?>> runs = new ArrayList<>();
    for (int i = 0; i < identities; i++) {
      // One identity each: one session each, with its own GET event stream.
      runs.add(runner.runAsync(agent, "hi", McpHeaders.of("X-User-Id", "u" + i)));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static int awaitConnections(ConnectionPool pool, Duration wait)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (pool.connectionCount() > 0 && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    return pool.connectionCount();
  }

  @Test
  void closingTheRunnerEndsTheThreadsOfTheTransportItDiscovered() throws Exception {
    Set<Thread> before = Threads.live(OWN_THREADS);
    Runner runner = Runners.builder().discoverHeaderProviders(false).build();
    runners.add(runner);

    // transport-httpclient is on this module's test class path too: choose this one by name.
    runAll(
        runner,
        agent(McpServerSpec.builder("tickets", server.url()).transport("okhttp").build()),
        6);
    Set<Thread> started = new HashSet<>(Threads.live(OWN_THREADS));
    started.removeAll(before);
    assertThat(started).as("the transport's threads (calls and event streams)").isNotEmpty();

    runner.close();

    assertThat(Threads.stillAlive(started, Duration.ofSeconds(20)))
        .as("the transport's threads still alive after close")
        .isEmpty();
  }

  @Test
  void closeClosesTheIdleConnectionsOfTheClientTheFactoryBuilt() throws Exception {
    OkHttpTransportFactory factory = new OkHttpTransportFactory();
    Runner runner = runner(factory);
    runAll(runner, agent(), 3);
    runner.close();
    assertThat(factory.client().connectionPool().connectionCount())
        .as("idle connections kept by the pool before the factory closes")
        .isPositive();

    factory.close();

    // A connection still held by a call (an event stream ending, the last DELETE) is closed when
    // that call lets go of it, on the call's own thread: wait for that, bounded.
    assertThat(awaitConnections(factory.client().connectionPool(), Duration.ofSeconds(20)))
        .as("connections left in the pool after the factory closed")
        .isZero();
    assertThat(factory.client().dispatcher().executorService().isShutdown()).isTrue();
    assertThatThrownBy(() -> runner(factory).run(agent(), "hi"))
        .hasStackTraceContaining("this OkHttpTransportFactory is closed");
  }

  @Test
  void closeLeavesAUserSuppliedClientAsItIs() throws Exception {
    ConnectionPool pool = new ConnectionPool();
    OkHttpClient mine = new OkHttpClient.Builder().connectionPool(pool).build();
    OkHttpTransportFactory factory = new OkHttpTransportFactory(mine);
    Runner runner = runner(factory);
    runAll(runner, agent(), 3);
    runner.close();

    factory.close();

    assertThat(pool.idleConnectionCount()).as("the user's idle connections are kept").isPositive();
    assertThat(mine.dispatcher().executorService().isShutdown()).isFalse();
    try (Response response =
        mine.newCall(new Request.Builder().url(server.url().toString()).get().build()).execute()) {
      assertThat(response.code()).as("the user's client still works").isPositive();
    }
  }

  @Test
  void everySessionGetsExactlyOneDeleteAtClose() throws Exception {
    Runner runner = runner(new OkHttpTransportFactory());
    runAll(runner, agent(), 40);

    runner.close();

    Map<String, Long> deletes =
        server.requests().stream()
            .filter(r -> "DELETE".equals(r.httpMethod()) && r.sessionId() != null)
            .collect(Collectors.groupingBy(RecordedRequest::sessionId, Collectors.counting()));
    Set<String> sessions =
        server.requests().stream()
            .map(RecordedRequest::sessionId)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    assertThat(sessions).hasSize(40);
    assertThat(deletes.keySet()).isEqualTo(sessions);
    assertThat(deletes.values()).containsOnly(1L);
  }

  /**
   * The root of "one session of 400 got two DELETEs": OkHttp sent a request again on a new
   * connection when a reused connection broke after the request went out, before the answer (the
   * server had received it). A loopback server answers the first request of a connection and drops
   * the connection on the second, after reading it.
   */
  @Test
  void aRequestWhoseReusedConnectionBreaksIsNotSentAgain() throws Exception {
    try (DroppingServer dropping = new DroppingServer()) {
      OkHttpClient client = new OkHttpTransportFactory().client();
      try (Response first =
          client.newCall(new Request.Builder().url(dropping.url()).get().build()).execute()) {
        assertThat(first.code()).isEqualTo(200);
      }

      Request delete = new Request.Builder().url(dropping.url()).delete().build();
      assertThatThrownBy(() -> client.newCall(delete).execute()).isInstanceOf(IOException.class);

      assertThat(dropping.awaitRequests(2)).containsExactly("GET", "DELETE");
      Thread.sleep(300); // a resend would follow at once
      assertThat(dropping.requests()).containsExactly("GET", "DELETE");
    }
  }

  /** Answers a connection's first request (keep-alive) and drops it after reading the second. */
  private static final class DroppingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    DroppingServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "dropping-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/mcp";
    }

    List<String> requests() {
      return List.copyOf(requests);
    }

    List<String> awaitRequests(int count) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (requests.size() < count && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      return requests();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          Thread handler = new Thread(() -> serve(connection), "dropping-server-connection");
          handler.setDaemon(true);
          handler.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = connection.getOutputStream();
        for (int served = 0; ; served++) {
          String method = readHead(in);
          if (method == null) {
            return;
          }
          requests.add(method);
          if (served > 0) {
            return; // read, never answered: the connection drops
          }
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      } catch (IOException e) {
        // The client went away.
      }
    }

    /** Reads one request head (these requests have no body); returns its method, null at EOF. */
    private static @Nullable String readHead(BufferedReader in) throws IOException {
      String line = in.readLine();
      if (line == null) {
        return null;
      }
      String method = line.substring(0, Math.max(0, line.indexOf(' ')));
      while (line != null && !line.isEmpty()) {
        line = in.readLine();
      }
      return method;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
