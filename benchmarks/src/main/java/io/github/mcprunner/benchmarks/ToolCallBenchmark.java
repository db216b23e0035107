package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tool call ({@code add}) against the embedded MCP server (STATEFUL, loopback), at 1 and 32
 * concurrent callers, for each transport ({@code transport} = {@code httpclient}, {@code okhttp}):
 *
 * <ul>
 *   <li>{@code bareSdk*}: the bare MCP SDK client on its own {@code
 *       HttpClientStreamableHttpTransport} with static headers, the baseline;
 *   <li>{@code transport*}: the MCP SDK client on the transport under test, every request's headers
 *       resolved per call from the call's context (what the runner's sessions do), no runner;
 *   <li>{@code runner*}: a whole run through the runner with per-run headers (a scripted model
 *       turn, one {@code tools/call} on the identity's pooled session, the answer turn);
 *   <li>{@code runnerNewSessionPerRun}: a run that opens and closes its own MCP session
 *       (initialize, list, call, DELETE), the create-a-client-per-run workaround.
 * </ul>
 *
 * <p>Sample-time mode: JMH reports the mean and the p50/p99 of one call; the throughput of {@code
 * N} callers is {@code N / mean}. The bare baseline runs once per {@code transport} value, so each
 * transport is compared with a baseline measured in the same fork.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ToolCallBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ToolCallBenchmark {

  @Param({"httpclient", "okhttp"})
  public String transport = "httpclient";

  private EmbeddedMcpServer server;
  private Runner runner;
  private Agent pooledAgent;
  private Agent perRunAgent;
  private McpSyncClient bare;
  private McpSyncClient overTransport;

  private static final McpSchema.CallToolRequest ADD =
      new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2));

  @Setup(Level.Trial)
  public void setUp() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    McpTransportFactory factory =
        "okhttp".equals(transport)
            ? new OkHttpTransportFactory()
            : new HttpClientTransportFactory();
    runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(factory)
            .build();
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("add", "{\"a\":1,\"b\":2}")
            .answer(ScriptedModel::lastToolOutput)
            .build();
    McpServerSpec.Builder spec =
        McpServerSpec.builder("bench", server.url()).headers(McpHeaders.of("X-Static", "s"));
    pooledAgent = Agent.builder("bench").model(model).mcpServer(spec.build()).build();
    perRunAgent =
        Agent.builder("bench-per-run")
            .model(model)
            .mcpServer(spec.sessionStrategy(SessionStrategy.PER_RUN).build())
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
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    bare.initialize();

    // The transport on its own: headers resolved per request from the call's context.
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
                  : McpHeaders.of("X-Static", "s", "X-User-Id", "static-user");
            },
            McpJsonDefaults.getMapper());
    overTransport =
        McpClient.sync(factory.create(settings))
            .requestTimeout(Duration.ofSeconds(30))
            .transportContextProvider(ToolCallBenchmark::perCallContext)
            .build();
    overTransport.initialize();

    // Warm the runner's pooled session.
    runner.run(pooledAgent, "warm", McpHeaders.of("Authorization", "Bearer t", "X-User-Id", "u0"));
    server.setRecording(false);
  }

  private static McpTransportContext perCallContext() {
    int token = ThreadLocalRandom.current().nextInt(8);
    return McpTransportContext.create(
        Map.of(
            "headers",
            McpHeaders.of(
                "X-Static", "s", "Authorization", "Bearer token-" + token, "X-User-Id", "u0")));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bare.closeGracefully();
    overTransport.closeGracefully();
    runner.close();
    server.close();
  }

  private RunResult runOnce() {
    int token = ThreadLocalRandom.current().nextInt(8);
    return runner.run(
        pooledAgent,
        "add",
        RunOptions.builder()
            .mcpHeaders(McpHeaders.of("Authorization", "Bearer token-" + token, "X-User-Id", "u0"))
            .build());
  }

  /** The bare MCP SDK client with static headers: one tool call. */
  @Benchmark
  @Threads(1)
  public McpSchema.CallToolResult bareSdk1() {
    return bare.callTool(ADD);
  }

  /** The bare MCP SDK client, 32 callers on one session. */
  @Benchmark
  @Threads(32)
  public McpSchema.CallToolResult bareSdk32() {
    return bare.callTool(ADD);
  }

  /** The MCP SDK client on the transport under test, headers resolved per call. */
  @Benchmark
  @Threads(1)
  public McpSchema.CallToolResult transport1() {
    return overTransport.callTool(ADD);
  }

  /** The same, 32 callers on one session. */
  @Benchmark
  @Threads(32)
  public McpSchema.CallToolResult transport32() {
    return overTransport.callTool(ADD);
  }

  /** A run through the runner: per-run headers, pooled session, one tool call. */
  @Benchmark
  @Threads(1)
  public RunResult runner1() {
    return runOnce();
  }

  /** 32 concurrent runs of one identity (one pooled session). */
  @Benchmark
  @Threads(32)
  public RunResult runner32() {
    return runOnce();
  }

  /** A run that opens and closes its own MCP session (initialize, list, call, DELETE). */
  @Benchmark
  @Threads(1)
  public RunResult runnerNewSessionPerRun() {
    return runner.run(
        perRunAgent, "add", McpHeaders.of("Authorization", "Bearer token", "X-User-Id", "u0"));
  }
}
