package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.transport.httpclient.HttpClientTransportFactory;
import io.github.mcprunner.transport.okhttp.OkHttpTransportFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run on a server that speaks MCP 2026-07-28 (stateless) against the same run on a pooled session
 * of a session server (MCP 2025-11-25), both the testkit's embedded Jetty with the same tool, and a
 * new identity's first run on each (no {@code initialize} to pay on the stateless server), printed
 * as ratios in one run, in interleaved rounds (see {@link TransportComparison} for why).
 *
 * <p>Variants, one caller: {@code stateless/T} (a run calling {@code add}: {@code tools/list} and
 * {@code tools/call}, each one POST), {@code pooled/T} (the same run on the identity's pooled
 * session: the list is cached on the session, so only {@code tools/call}), {@code
 * first-stateless/T} and {@code first-sessions/T} (every run a new identity: on the session server
 * that is {@code initialize}, {@code notifications/initialized}, the GET stream, list and call).
 * The stateless server's lists say {@code ttlMs: 60000, cacheScope: public}, so its runs list once.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar \
 *     io.github.mcprunner.benchmarks.ProtocolComparison [rounds]
 * </pre>
 */
public final class ProtocolComparison {
  private static final int WARM_UP_ROUNDS = 2;
  private static final int RUNS = 50;
  private static final AtomicLong IDENTITIES = new AtomicLong();

  private ProtocolComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    EmbeddedMcpServer modern =
        EmbeddedMcpServer.builder()
            .mode(EmbeddedMcpServer.Mode.MODERN)
            .defaultTools()
            .toolListCaching(java.time.Duration.ofMinutes(1), true)
            .start();
    EmbeddedMcpServer sessions =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    modern.setRecording(false);
    sessions.setRecording(false);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Runner> runners = new ArrayList<>();
    List<Interleaved.Variant> variants = new ArrayList<>();
    try {
      for (McpTransportFactory factory :
          List.of(new HttpClientTransportFactory(), new OkHttpTransportFactory())) {
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .discoverTransports(false)
                .transport(factory)
                .build();
        runners.add(runner);
        String t = factory.name();
        Agent stateless = agent(modern, McpProtocol.STATELESS);
        Agent pooled = agent(sessions, McpProtocol.SESSIONS);
        variants.add(variant("pooled/" + t, () -> run(runner, pooled, "u0"), pool));
        variants.add(variant("stateless/" + t, () -> run(runner, stateless, "u0"), pool));
        variants.add(
            variant("first-sessions/" + t, () -> run(runner, pooled, newIdentity()), pool));
        variants.add(
            variant("first-stateless/" + t, () -> run(runner, stateless, newIdentity()), pool));
      }
      for (int round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
        boolean measured = round >= WARM_UP_ROUNDS;
        for (Interleaved.Variant variant : variants) {
          variant.run(1, RUNS, measured);
        }
      }
      System.out.printf(Locale.ROOT, "%d measured rounds of %d runs each%n%n", rounds, RUNS);
      Interleaved.printTable(variants, new int[] {1}, "pooled/httpclient");
      System.out.println();
      for (String t : List.of("httpclient", "okhttp")) {
        System.out.printf(
            Locale.ROOT,
            "%s: stateless run ÷ pooled-session run (throughput) %.2f; new identity's first run,"
                + " stateless ÷ sessions %.2f%n",
            t,
            Interleaved.find(variants, "stateless/" + t).throughput(1)
                / Interleaved.find(variants, "pooled/" + t).throughput(1),
            Interleaved.find(variants, "first-stateless/" + t).throughput(1)
                / Interleaved.find(variants, "first-sessions/" + t).throughput(1));
      }
    } finally {
      pool.shutdownNow();
      for (Runner runner : runners) {
        runner.close();
      }
      modern.close();
      sessions.close();
    }
    // The MCP SDK server leaves a non-daemon session sweeper thread behind after close.
    System.exit(0);
  }

  private static String newIdentity() {
    return "user-" + IDENTITIES.incrementAndGet();
  }

  private static Interleaved.Variant variant(
      String name, Interleaved.Call call, ExecutorService pool) {
    return new Interleaved.Variant(name, Interleaved.local(call, pool));
  }

  private static void run(Runner runner, Agent agent, String identity) {
    runner.run(
        agent,
        "add",
        RunOptions.builder()
            .identity(identity)
            .mcpHeaders(McpHeaders.of("Authorization", "Bearer " + identity))
            .build());
  }

  private static Agent agent(EmbeddedMcpServer server, McpProtocol protocol) {
    return Agent.builder("bench")
        .model(
            ScriptedModel.builder()
                .callTool("add", "{\"a\":1,\"b\":2}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(
            McpServerSpec.builder("bench", server.url())
                .headers(McpHeaders.of("X-Static", "s"))
                .protocol(protocol)
                // New identities keep coming: a small pool closes (DELETE) the idle ones.
                .maxSessions(16)
                .build())
        .build();
  }
}
