package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.transport.httpclient.HttpClientTransportFactory;
import io.github.mcprunner.transport.okhttp.OkHttpTransportFactory;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tool-call throughput and p50/p99 latency of the two transports and the bare MCP SDK client on one
 * embedded server, at 1 and 32 concurrent callers, and the cost of a new session or a new client
 * per run, printed as ratios in one run.
 *
 * <p>Why not only JMH: on a machine shared with other work the load changes from one JMH trial (one
 * forked JVM) to the next, so two trials measured minutes apart are not comparable within 10 %.
 * Here every variant runs in the same JVM, against the same server, in interleaved rounds (each
 * round runs every variant in turn), so each variant sees the same conditions; the first two rounds
 * are warm-up.
 *
 * <p>Tool calls: {@code bare-sdk} (the MCP SDK's own {@code HttpClientStreamableHttpTransport},
 * static headers), {@code raw/httpclient} and {@code raw/okhttp} (the bare HTTP clients on the same
 * exchange, no MCP code: {@link RawHttp}), {@code httpclient} and {@code okhttp} (the SDK client on
 * the transport, headers resolved per call from the call's context), {@code runner/httpclient} and
 * {@code runner/okhttp} (a whole run with per-run headers: model turn, {@code tools/call} on a
 * pooled session, answer turn), {@code tenants/httpclient} and {@code tenants/okhttp} (the same
 * run, each caller thread a user of its own, so 32 callers use 32 sessions, as a multi-tenant
 * service does).
 *
 * <p>Sessions, one caller: {@code pooled/T} (the same run as {@code runner/T}, on the identity's
 * pooled session), {@code per-run/T} ({@code SessionStrategy.PER_RUN}: initialize, list, call,
 * DELETE in every run), {@code new-client/T} (what users do without this library: a new HTTP client
 * and a new MCP client with the run's headers as static headers, initialize, list, call, close) and
 * {@code new-client/bare-sdk} (the same on the SDK's own transport).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar \
 *     io.github.mcprunner.benchmarks.TransportComparison [rounds]
 * </pre>
 */
public final class TransportComparison {
  private static final int WARM_UP_ROUNDS = 2;
  private static final int CALLS_ALONE = 200;
  private static final int CALLS_EACH_OF_32 = 25;
  private static final int RUNS_PER_SESSION_VARIANT = 20;
  private static final int RUNS_TO_SETTLE = 5;
  private static final McpSchema.CallToolRequest ADD =
      new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2));

  private TransportComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    List<AutoCloseable> closing = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      McpSyncClient bare = bareClient(server, "u0");
      bare.initialize();
      closing.add(bare::closeGracefully);

      List<Interleaved.Variant> calls = new ArrayList<>();
      List<Interleaved.Variant> sessions = new ArrayList<>();
      calls.add(variant("bare-sdk", () -> bare.callTool(ADD), pool));
      calls.add(variant("raw/httpclient", RawHttp.jdk(server), pool));
      calls.add(variant("raw/okhttp", RawHttp.okhttp(server), pool));
      for (McpTransportFactory factory : factories()) {
        McpSyncClient client = clientOver(factory, server);
        closing.add(client::closeGracefully);
        closing.add(factory);
        calls.add(variant(factory.name(), () -> client.callTool(ADD), pool));
      }
      for (McpTransportFactory factory : factories()) {
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .discoverTransports(false)
                .transport(factory)
                .build();
        closing.add(runner);
        closing.add(factory); // closed after the runner: given to the builder, it stays ours
        Agent pooled = agent(server, SessionStrategy.PER_IDENTITY);
        Agent perRun = agent(server, SessionStrategy.PER_RUN);
        calls.add(variant("runner/" + factory.name(), () -> runOnce(runner, pooled), pool));
        calls.add(variant("tenants/" + factory.name(), () -> runAsOwnUser(runner, pooled), pool));
        sessions.add(variant("pooled/" + factory.name(), () -> runOnce(runner, pooled), pool));
        sessions.add(variant("per-run/" + factory.name(), () -> runOnce(runner, perRun), pool));
        String name = factory.name();
        sessions.add(variant("new-client/" + name, () -> newClientPerRun(name, server), pool));
      }
      sessions.add(variant("new-client/bare-sdk", () -> newBareClientPerRun(server), pool));
      server.setRecording(false);

      for (int round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
        boolean measured = round >= WARM_UP_ROUNDS;
        for (Interleaved.Variant variant : calls) {
          variant.run(1, CALLS_ALONE, measured);
          variant.run(32, CALLS_EACH_OF_32, measured);
        }
        for (Interleaved.Variant variant : sessions) {
          // A few runs first, not counted: what the variant before left behind (garbage, a busy
          // server) would otherwise fall on the first of these few, slow runs.
          variant.run(1, RUNS_TO_SETTLE, false);
          variant.run(1, RUNS_PER_SESSION_VARIANT, measured);
        }
      }
      report(calls, sessions, rounds);
    } finally {
      pool.shutdownNow();
      for (AutoCloseable c : closing) {
        try {
          c.close();
        } catch (Exception ignored) {
          // Best effort at the end of a benchmark.
        }
      }
      server.close();
    }
    // The MCP SDK server leaves a non-daemon session sweeper thread behind after close.
    System.exit(0);
  }

  private static List<McpTransportFactory> factories() {
    return List.of(new HttpClientTransportFactory(), new OkHttpTransportFactory());
  }

  private static Interleaved.Variant variant(
      String name, Interleaved.Call call, ExecutorService pool) {
    return new Interleaved.Variant(name, Interleaved.local(call, pool));
  }

  private static Agent agent(EmbeddedMcpServer server, SessionStrategy strategy) {
    return Agent.builder("bench")
        .model(
            ScriptedModel.builder()
                .callTool("add", "{\"a\":1,\"b\":2}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(
            McpServerSpec.builder("bench", server.url())
                .headers(McpHeaders.of("X-Static", "s"))
                .sessionStrategy(strategy)
                .build())
        .build();
  }

  private static McpSyncClient bareClient(EmbeddedMcpServer server, String token) {
    return McpClient.sync(
            HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint(server.url().getPath())
                .requestBuilder(
                    HttpRequest.newBuilder()
                        .header("X-Static", "s")
                        .header("Authorization", "Bearer " + token)
                        .header("X-User-Id", "u0"))
                .build())
        .requestTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The workaround without this library: a new HTTP client and MCP client for every run. */
  private static void newClientPerRun(String transport, EmbeddedMcpServer server) {
    McpTransportFactory factory =
        transport.equals(HttpClientTransportFactory.NAME)
            ? new HttpClientTransportFactory()
            : new OkHttpTransportFactory();
    McpHeaders headers =
        McpHeaders.of(
            "X-Static",
            "s",
            "Authorization",
            "Bearer token-" + ThreadLocalRandom.current().nextInt(8),
            "X-User-Id",
            "u0");
    McpSyncClient client =
        McpClient.sync(factory.create(settings(server, (request, context) -> headers)))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    try {
      client.initialize();
      client.listTools();
      client.callTool(ADD);
    } finally {
      client.closeGracefully();
      factory.close();
    }
  }

  private static void newBareClientPerRun(EmbeddedMcpServer server) {
    McpSyncClient client = bareClient(server, "token-" + ThreadLocalRandom.current().nextInt(8));
    try {
      client.initialize();
      client.listTools();
      client.callTool(ADD);
    } finally {
      client.closeGracefully();
    }
  }

  private static TransportSettings settings(EmbeddedMcpServer server, RequestHeaderSource headers) {
    return new TransportSettings(
        new McpServerRef("bench", server.url()),
        TransportKind.STREAMABLE_HTTP,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        headers,
        McpJsonDefaults.getMapper());
  }

  private static McpSyncClient clientOver(McpTransportFactory factory, EmbeddedMcpServer server) {
    TransportSettings settings =
        settings(
            server,
            (request, context) -> {
              Object headers = context.get("headers");
              return headers instanceof McpHeaders
                  ? (McpHeaders) headers
                  : McpHeaders.of("X-Static", "s", "X-User-Id", "u0");
            });
    McpSyncClient client =
        McpClient.sync(factory.create(settings))
            .requestTimeout(Duration.ofSeconds(30))
            .transportContextProvider(
                () ->
                    McpTransportContext.create(
                        Map.of(
                            "headers",
                            McpHeaders.of(
                                "X-Static",
                                "s",
                                "Authorization",
                                "Bearer token-" + ThreadLocalRandom.current().nextInt(8),
                                "X-User-Id",
                                "u0"))))
            .build();
    client.initialize();
    return client;
  }

  // Each caller thread is a user of its own (u1 to u32 on the pool's 32 threads).
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final ThreadLocal<String> USER =
      ThreadLocal.withInitial(() -> "u" + USERS.incrementAndGet());

  /** A run as {@link #runOnce} does it, for the calling thread's own user: its own session. */
  private static void runAsOwnUser(Runner runner, Agent agent) {
    String user = USER.get();
    runner.run(
        agent,
        "add",
        RunOptions.builder()
            .mcpHeaders(McpHeaders.of("Authorization", "Bearer token-" + user, "X-User-Id", user))
            .build());
  }

  private static void runOnce(Runner runner, Agent agent) {
    runner.run(
        agent,
        "add",
        RunOptions.builder()
            .mcpHeaders(
                McpHeaders.of(
                    "Authorization",
                    "Bearer token-" + ThreadLocalRandom.current().nextInt(8),
                    "X-User-Id",
                    "u0"))
            .build());
  }

  private static void report(
      List<Interleaved.Variant> calls, List<Interleaved.Variant> sessions, int rounds) {
    System.out.printf(
        Locale.ROOT,
        "%nTool calls on one embedded server, %d interleaved rounds (after %d warm-up)%n%n",
        rounds,
        WARM_UP_ROUNDS);
    Interleaved.printTable(calls, new int[] {1, 32}, "bare-sdk");
    System.out.println();
    for (int callers : new int[] {1, 32}) {
      System.out.printf(
          Locale.ROOT,
          "okhttp ÷ httpclient at %d caller(s): raw HTTP %.2f, transport %.2f, runner %.2f,"
              + " tenants %.2f%n",
          callers,
          ratio(calls, "raw/okhttp", "raw/httpclient", callers),
          ratio(calls, "okhttp", "httpclient", callers),
          ratio(calls, "runner/okhttp", "runner/httpclient", callers),
          ratio(calls, "tenants/okhttp", "tenants/httpclient", callers));
    }
    System.out.printf(Locale.ROOT, "%nRuns and sessions, 1 caller, same rounds%n%n");
    Interleaved.printTable(sessions, new int[] {1}, "new-client/bare-sdk");
    System.out.println();
    for (String name : List.of(HttpClientTransportFactory.NAME, OkHttpTransportFactory.NAME)) {
      System.out.printf(
          Locale.ROOT,
          "%s: pooled ÷ per-run %.2f, pooled ÷ new-client %.2f%n",
          name,
          ratio(sessions, "pooled/" + name, "per-run/" + name, 1),
          ratio(sessions, "pooled/" + name, "new-client/" + name, 1));
    }
  }

  private static double ratio(
      List<Interleaved.Variant> variants, String over, String under, int callers) {
    return Interleaved.find(variants, over).throughput(callers)
        / Interleaved.find(variants, under).throughput(callers);
  }
}
