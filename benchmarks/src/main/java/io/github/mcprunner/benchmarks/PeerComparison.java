package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.transport.httpclient.HttpClientTransportFactory;
import io.github.mcprunner.transport.okhttp.OkHttpTransportFactory;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The peer comparison: {@code tools/call} against a server of the official MCP TypeScript SDK, from
 * the TypeScript SDK's own client, the bare MCP Java SDK client and the runner over each transport,
 * in interleaved rounds at 1 and 16 concurrent callers, with throughput ratios to the TypeScript
 * client. Started by {@code benchmarks/peer/run.sh}, which installs the pinned SDK and Node.js and
 * starts the server; loopback only.
 *
 * <ul>
 *   <li>{@code ts-sdk}: one TypeScript SDK client, connected once and reused, each call with its
 *       own {@code Authorization} and {@code X-User-Id} (a {@code fetch} wrapper applies them), in
 *       its own Node.js process driven over stdin;
 *   <li>{@code bare-java-sdk}: the MCP Java SDK client on its {@code
 *       HttpClientStreamableHttpTransport}, static headers;
 *   <li>{@code runner/httpclient}, {@code runner/okhttp}: a whole run with per-run headers
 *       (scripted model turn, {@code tools/call} on the identity's pooled session, answer turn).
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar \
 *     io.github.mcprunner.benchmarks.PeerComparison URL NODE CLIENT_MJS [rounds]
 * </pre>
 */
public final class PeerComparison {
  private static final int WARM_UP_ROUNDS = 2;
  private static final int CALLS_ALONE = 100;
  private static final int CALLS_EACH_OF_16 = 10;
  private static final int[] CALLERS = {1, 16};
  // Rounds stop starting after this, whatever their count; the report covers the rounds done.
  private static final Duration TIME_LIMIT = Duration.ofMinutes(15);
  private static final McpSchema.CallToolRequest ADD =
      new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2));

  private PeerComparison() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: PeerComparison SERVER_URL NODE CLIENT_MJS [rounds]");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    if (!"127.0.0.1".equals(url.getHost()) && !"localhost".equals(url.getHost())) {
      throw new IllegalArgumentException("the peer server must be on loopback, not " + url);
    }
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    List<AutoCloseable> closing = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Process node =
        new ProcessBuilder(args[1], new File(args[2]).getName(), url.toString())
            .directory(new File(args[2]).getAbsoluteFile().getParentFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      List<Interleaved.Variant> variants = new ArrayList<>();
      variants.add(new Interleaved.Variant("ts-sdk", nodeClient(node)));

      McpSyncClient bare =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder(
                          url.getScheme() + "://" + url.getRawAuthority())
                      .endpoint(url.getRawPath())
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
      variants.add(
          new Interleaved.Variant(
              "bare-java-sdk", Interleaved.local(() -> bare.callTool(ADD), pool)));

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
                    McpServerSpec.builder("peer", url)
                        .headers(McpHeaders.of("X-Static", "s"))
                        .build())
                .build();
        variants.add(
            new Interleaved.Variant(
                "runner/" + factory.name(), Interleaved.local(() -> runOnce(runner, agent), pool)));
      }

      long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
      int done = 0;
      for (int round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
        if (System.nanoTime() > deadline) {
          System.err.printf(Locale.ROOT, "peer: time limit reached after %d rounds%n", round);
          break;
        }
        boolean measured = round >= WARM_UP_ROUNDS;
        for (Interleaved.Variant variant : variants) {
          variant.run(1, CALLS_ALONE, measured);
          variant.run(16, CALLS_EACH_OF_16, measured);
        }
        done += measured ? 1 : 0;
      }
      System.out.printf(
          Locale.ROOT,
          "%nOne tools/call on the MCP TypeScript SDK server, %d interleaved rounds (after %d"
              + " warm-up)%n%n",
          done,
          WARM_UP_ROUNDS);
      Interleaved.printTable(variants, CALLERS, "ts-sdk");
      System.out.println();
      for (int callers : CALLERS) {
        double bareSdk = Interleaved.find(variants, "bare-java-sdk").throughput(callers);
        System.out.printf(
            Locale.ROOT,
            "÷ bare-java-sdk at %d caller(s): runner/httpclient %.2f, runner/okhttp %.2f%n",
            callers,
            Interleaved.find(variants, "runner/httpclient").throughput(callers) / bareSdk,
            Interleaved.find(variants, "runner/okhttp").throughput(callers) / bareSdk);
      }
    } finally {
      node.getOutputStream().close();
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.destroy();
      }
      pool.shutdownNow();
      for (AutoCloseable c : closing) {
        try {
          c.close();
        } catch (Exception ignored) {
          // Best effort at the end of a benchmark.
        }
      }
    }
    System.exit(0);
  }

  /** Measures in the Node.js client process: one command line out, one JSON answer line in. */
  private static Interleaved.Measurement nodeClient(Process node) {
    Writer commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
    BufferedReader answers =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    return (callers, callsEach) -> {
      commands.write("{\"callers\":" + callers + ",\"calls\":" + callsEach + "}\n");
      commands.flush();
      String line = answers.readLine();
      if (line == null) {
        throw new IOException("the TypeScript client ended");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> answer = McpJsonDefaults.getMapper().readValue(line, Map.class);
      if (answer.containsKey("error")) {
        throw new IOException("the TypeScript client failed: " + answer.get("error"));
      }
      List<?> latencies = (List<?>) answer.get("latencies");
      Number elapsed = (Number) answer.get("elapsed");
      if (latencies == null || elapsed == null) {
        throw new IOException("the TypeScript client's answer has no latencies or elapsed time");
      }
      long[] nanos = new long[latencies.size()];
      for (int i = 0; i < nanos.length; i++) {
        nanos[i] = ((Number) latencies.get(i)).longValue();
      }
      return new Interleaved.Sample(elapsed.longValue(), nanos);
    };
  }

  private static void runOnce(Runner runner, Agent agent) {
    String output =
        runner
            .run(
                agent,
                "add",
                RunOptions.builder()
                    .mcpHeaders(
                        McpHeaders.of(
                            "Authorization",
                            "Bearer token-" + ThreadLocalRandom.current().nextInt(8),
                            "X-User-Id",
                            "u0"))
                    .build())
            .finalOutput();
    if (!output.contains("3")) {
      throw new IllegalStateException("unexpected run output " + output);
    }
  }
}
