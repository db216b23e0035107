package io.github.mcprunner.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.testkit.Threads;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The factory's client lifecycle: its Streamable HTTP sessions share a few {@code HttpClient}s, and
 * closing the runner ends the threads of the clients and executor it built; every session gets one
 * DELETE.
 */
class ClientLifecycleTest {
  private static final Pattern SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
  private static final Predicate<String> OWN_THREADS =
      name -> SELECTOR.matcher(name).matches() || name.startsWith("mcp-httpclient-");

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

  private Runner discoveringRunner() {
    // The transport found with ServiceLoader: the runner created it, so the runner closes it.
    Runner runner = Runners.builder().discoverHeaderProviders(false).build();
    runners.add(runner);
    return runner;
  }

  private Agent agent() {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
        .build();
  }

  private static void runAll(Runner runner, Agent agent, int identities) throws Exception {
    List<CompletableFuture<?>> runs = new ArrayList<>();
    for (int i = 0; i < identities; i++) {
      // One identity each: one session each.
      runs.add(runner.runAsync(agent, "hi", McpHeaders.of("X-User-Id", "u" + i)));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  @Test
  void sessionsShareAFewClientsAndClosingTheRunnerEndsTheirThreads() throws Exception {
    Set<Thread> before = Threads.live(OWN_THREADS);
    Runner runner = discoveringRunner();
    int identities = HttpClientTransportFactory.SHARED_CLIENTS + 2;

    runAll(runner, agent(), identities);

    Set<Thread> started = new HashSet<>(Threads.live(OWN_THREADS));
    started.removeAll(before);
    long sessions =
        server.requests().stream()
            .map(RecordedRequest::sessionId)
            .filter(Objects::nonNull)
            .distinct()
            .count();
    assertThat(sessions).as("one session per identity").isEqualTo(identities);
    assertThat(started.stream().map(Thread::getName).filter(n -> SELECTOR.matcher(n).matches()))
        .as("selector threads of the clients the runner's sessions use")
        .hasSize(HttpClientTransportFactory.SHARED_CLIENTS);

    runner.close();

    assertThat(Threads.stillAlive(started, Duration.ofSeconds(30)))
        .as("the transport's threads still alive after close")
        .isEmpty();
  }

  @Test
  void everySessionGetsExactlyOneDeleteAtClose() throws Exception {
    Runner runner = discoveringRunner();
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

  @Test
  void aClosedFactoryCreatesNoSession() {
    HttpClientTransportFactory factory = new HttpClientTransportFactory();
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(factory)
            .build();
    runners.add(runner);
    factory.close();

    assertThatThrownBy(() -> runner.run(agent(), "hi"))
        .hasStackTraceContaining("this HttpClientTransportFactory is closed");
  }

  @Test
  void aCookieHandlerOnTheSharedClientIsRefused() {
    HttpClientTransportFactory factory =
        new HttpClientTransportFactory(client -> client.cookieHandler(new CookieManager()));
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(factory)
            .build();
    runners.add(runner);

    assertThatThrownBy(() -> runner.run(agent(), "hi"))
        .hasStackTraceContaining("set a CookieHandler");
    assertThat(server.requests()).as("nothing was sent").isEmpty();
    factory.close();
  }

  @Test
  void closingWhileASessionIsStillOpeningClosesTheRestAndDoesNotThrow() throws Exception {
    // A server that takes the initialize and never answers: the handshake outlives close()'s
    // bounded wait for the sessions (10 s), which must not make close() throw or skip the rest.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      CountDownLatch connected = new CountDownLatch(1);
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                    connected.countDown();
                  }
                } catch (IOException closed) {
                  // The test is over.
                }
              },
              "silent-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      Predicate<String> watchdog = name -> name.equals("mcp-runner-provider-watchdog");
      Set<Thread> before = Threads.live(watchdog);
      Runner runner =
          Runners.builder()
              .discoverHeaderProviders(false)
              .headerProvider(new UserIdProvider())
              .build();
      runners.add(runner);
      McpServerSpec slow =
          McpServerSpec.builder(
                  "slow", URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/mcp"))
              .protocol(McpProtocol.SESSIONS)
              .initializeTimeout(Duration.ofSeconds(60))
              .requestTimeout(Duration.ofSeconds(60))
              .build();
      CompletableFuture<RunResult> run =
          runner.runAsync(
              Agent.builder("support")
                  .model(ScriptedModel.builder().callTool("whoami", "{}").answer("done").build())
                  .mcpServer(slow)
                  .build(),
              "hi");
      assertThat(connected.await(30, TimeUnit.SECONDS)).as("the initialize was sent").isTrue();
      Set<Thread> started = new HashSet<>(Threads.live(watchdog));
      started.removeAll(before);
      assertThat(started).as("the provider watchdog of the runner's header chain").hasSize(1);

      runner.close();

      assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RunCancelledException.class);
      assertThat(Threads.stillAlive(started, Duration.ofSeconds(20)))
          .as("the header chain was closed after the wait for the sessions")
          .isEmpty();
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  /** A provider, so that resolving the initialize's headers starts the chain's watchdog. */
  private static final class UserIdProvider implements McpHeaderProvider {
    @Override
    public String name() {
      return "user-id";
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      return McpHeaders.of("X-User-Id", "u1");
    }
  }
}
