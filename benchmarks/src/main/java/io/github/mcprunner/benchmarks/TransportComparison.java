package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tool-call throughput and p50/p99 latency of the two transports and the bare MCP SDK client on one
 * embedded server, at 1 and 32 concurrent callers, printed as ratios in one run.
 *
 * <p>Why not only JMH: on a machine shared with other work the load changes from one JMH trial (one
 * forked JVM) to the next, so two trials measured minutes apart are not comparable within 10 %.
 * Here every variant runs in the same JVM, against the same server, in interleaved rounds (each
 * round runs every variant in turn), so each variant sees the same conditions; the first two rounds
 * are warm-up.
 *
 * <p>Variants: {@code bare-sdk} (the MCP SDK's own {@code HttpClientStreamableHttpTransport},
 * static headers), {@code httpclient} and {@code okhttp} (the SDK client on the transport, headers
 * resolved per call from the call's context), {@code runner/httpclient} and {@code runner/okhttp}
 * (a whole run with per-run headers: model turn, {@code tools/call} on a pooled session, answer
 * turn).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.mcprunner.benchmarks.TransportComparison [rounds]
 * </pre>
 */
public final class TransportComparison {
  private static final int WARM_UP_ROUNDS = 2;
  private static final int CALLS_ALONE = 200;
  private static final int CALLS_EACH_OF_32 = 25;
  private static final McpSchema.CallToolRequest ADD =
      new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2));

  private TransportComparison() {}

  /** One variant: what one call does, and what it measured. */
  private static final class Variant {
    final String name;
    final ThrowingRunnable call;
    final Map<Integer, List<long[]>> latencies = new LinkedHashMap<>();
    final Map<Integer, long[]> totals = new LinkedHashMap<>(); // {calls, nanos}

    Variant(String name, ThrowingRunnable call) {
      this.name = name;
      this.call = call;
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    List<AutoCloseable> closing = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      McpSyncClient bare =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                      .endpoint(server.url().getPath())
                      .requestBuilder(
                          HttpRequest.newBuilder()
                              .header("X-Static", "s")
                              .header("Authorization", "Bearer static-token")
                              .header("X-User-Id", "u0"))
                      .build())
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      bare.initialize();
      closing.add(bare::closeGracefully);

      List<Variant> variants = new ArrayList<>();
      variants.add(new Variant("bare-sdk", () -> bare.callTool(ADD)));
      for (McpTransportFactory factory :
          List.of(new HttpClientTransportFactory(), new OkHttpTransportFactory())) {
        McpSyncClient client = clientOver(factory, server);
        closing.add(client::closeGracefully);
        variants.add(new Variant(factory.name(), () -> client.callTool(ADD)));
      }
      for (McpTransportFactory factory :
          List.of(new HttpClientTransportFactory(), new OkHttpTransportFactory())) {
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .discoverTransports(false)
                .transport(factory)
                .build();
        closing.add(runner);
        Agent agent =
            Agent.builder("bench")
                .model(
                    ScriptedModel.builder()
                        .callTool("add", "{\"a\":1,\"b\":2}")
                        .answer(ScriptedModel::lastToolOutput)
                        .build())
                .mcpServer(
                    McpServerSpec.builder("bench", server.url())
                        .headers(McpHeaders.of("X-Static", "s"))
                        .build())
                .build();
        variants.add(new Variant("runner/" + factory.name(), () -> runOnce(runner, agent)));
      }
      server.setRecording(false);

      for (int round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
        boolean measured = round >= WARM_UP_ROUNDS;
        for (Variant variant : variants) {
          measure(variant, 1, CALLS_ALONE, pool, measured);
          measure(variant, 32, CALLS_EACH_OF_32, pool, measured);
        }
      }
      report(variants, rounds);
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

  private static McpSyncClient clientOver(McpTransportFactory factory, EmbeddedMcpServer server) {
    TransportSettings settings =
        new TransportSettings(
            new McpServerRef("bench", server.url()),
            TransportKind.STREAMABLE_HTTP,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            (request, context) -> {
              Object headers = context.get("headers");
              return headers instanceof McpHeaders
                  ? (McpHeaders) headers
                  : McpHeaders.of("X-Static", "s", "X-User-Id", "u0");
            },
            McpJsonDefaults.getMapper());
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

  private static void measure(
      Variant variant, int callers, int callsEach, ExecutorService pool, boolean measured)
      throws Exception {
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < callers; c++) {
      futures.add(
          pool.submit(
              () -> {
                long[] times = new long[callsEach];
                for (int i = 0; i < callsEach; i++) {
                  long t0 = System.nanoTime();
                  variant.call.run();
                  times[i] = System.nanoTime() - t0;
                }
                return times;
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> future : futures) {
      all.add(future.get());
    }
    long elapsed = System.nanoTime() - start;
    if (measured) {
      variant.latencies.computeIfAbsent(callers, k -> new ArrayList<>()).addAll(all);
      long[] total = variant.totals.computeIfAbsent(callers, k -> new long[2]);
      total[0] += (long) callers * callsEach;
      total[1] += elapsed;
    }
  }

  private static void report(List<Variant> variants, int rounds) {
    System.out.printf(
        Locale.ROOT,
        "%nTool calls on one embedded server, %d interleaved rounds (after %d warm-up)%n%n",
        rounds,
        WARM_UP_ROUNDS);
    System.out.println("| variant | callers | calls/s | p50 µs | p99 µs | calls/s ÷ bare-sdk |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    Map<String, Double> throughput = new LinkedHashMap<>();
    for (int callers : new int[] {1, 32}) {
      for (Variant variant : variants) {
        long[] total = variant.totals.get(callers);
        double perSecond = total[0] / (total[1] / 1e9);
        throughput.put(variant.name + "@" + callers, perSecond);
        long[] sorted =
            variant.latencies.get(callers).stream()
                .flatMapToLong(Arrays::stream)
                .sorted()
                .toArray();
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
            variant.name,
            callers,
            perSecond,
            sorted[(int) (sorted.length * 0.50)] / 1e3,
            sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e3,
            perSecond / throughput.get("bare-sdk@" + callers));
      }
    }
    System.out.println();
    for (int callers : new int[] {1, 32}) {
      System.out.printf(
          Locale.ROOT,
          "okhttp ÷ httpclient at %d caller(s): transport %.2f, runner %.2f%n",
          callers,
          throughput.get("okhttp@" + callers) / throughput.get("httpclient@" + callers),
          throughput.get("runner/okhttp@" + callers)
              / throughput.get("runner/httpclient@" + callers));
    }
  }
}
