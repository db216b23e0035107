package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tool call against the embedded MCP server on loopback: through the runner with per-run
 * headers (one scripted model turn, one {@code tools/call} on a pooled session), versus the bare
 * MCP SDK client with static headers, versus the runner opening a new MCP session per run (the
 * workaround of creating a client per run: initialize, list, call, DELETE).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ToolCallBenchmark -f 1 -wi 3 -i 5</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ToolCallBenchmark {

  @Param({"httpclient"})
  public String transport;

  private EmbeddedMcpServer server;
  private Runner runner;
  private Agent pooledAgent;
  private Agent perRunAgent;
  private McpSyncClient bare;
  private final AtomicInteger counter = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() {
    server = EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    runner = Runners.builder().discoverHeaderProviders(false).build();
    ScriptedModel model =
        ScriptedModel.builder().callTool("add", "{\"a\":1,\"b\":2}").answer(ScriptedModel::lastToolOutput).build();
    McpServerSpec.Builder spec =
        McpServerSpec.builder("bench", server.url())
            .headers(McpHeaders.of("X-Static", "s"))
            .transport(transport);
    pooledAgent = Agent.builder("bench").model(model).mcpServer(spec.build()).build();
    perRunAgent =
        Agent.builder("bench-per-run")
            .model(model)
            .mcpServer(
                spec.sessionStrategy(SessionStrategy.PER_RUN).build().toBuilder().build())
            .build();
    String base = "http://127.0.0.1:" + server.port();
    bare =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(server.url().getPath())
                    .requestBuilder(
                        HttpRequest.newBuilder()
                            .header("X-Static", "s")
                            .header("Authorization", "Bearer static-token")
                            .header("X-User-Id", "static-user"))
                    .build())
            .build();
    bare.initialize();
    // Warm the runner's pooled session.
    runner.run(pooledAgent, "warm", McpHeaders.of("Authorization", "Bearer t", "X-User-Id", "u0"));
    server.setRecording(false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bare.closeGracefully();
    runner.close();
    server.close();
  }

  /** A run through the runner: per-run headers, pooled session, one tool call. */
  @Benchmark
  public RunResult runnerPerRunHeaders() {
    int i = counter.incrementAndGet() & 7;
    return runner.run(
        pooledAgent,
        "add",
        RunOptions.builder()
            .mcpHeaders(McpHeaders.of("Authorization", "Bearer token-" + i, "X-User-Id", "u0"))
            .build());
  }

  /** The bare MCP SDK client with static headers: one tool call. */
  @Benchmark
  public McpSchema.CallToolResult bareSdkStaticHeaders() {
    return bare.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2)));
  }

  /** A run that opens and closes its own MCP session (initialize, list, call, DELETE). */
  @Benchmark
  public RunResult runnerNewSessionPerRun() {
    return runner.run(
        perRunAgent, "add", McpHeaders.of("Authorization", "Bearer token", "X-User-Id", "u0"));
  }
}
