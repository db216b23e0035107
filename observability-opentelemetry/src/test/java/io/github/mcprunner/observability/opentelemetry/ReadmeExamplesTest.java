package io.github.mcprunner.observability.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The module README's examples, compiled and run; and discovery with {@code ServiceLoader}. */
class ReadmeExamplesTest {
  private EmbeddedMcpServer server;
  private Agent agent;

  @BeforeEach
  void start() {
    GlobalOpenTelemetry.resetForTest();
    server = EmbeddedMcpServer.builder().defaultTools().start();
    agent =
        Agent.builder("support")
            .instructions("Help.")
            .model(ScriptedModel.builder().callTool("whoami", "{}").answer("done").build())
            .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
    GlobalOpenTelemetry.resetForTest();
    for (String key :
        List.of("otel.traces.exporter", "otel.metrics.exporter", "otel.logs.exporter")) {
      System.clearProperty(key);
    }
  }

  private static Runner withObserver(OpenTelemetry openTelemetry) {
    // snippet:observer
    Runner runner =
        Runners.builder()
            .observer(
                OpenTelemetryObserver.builder(openTelemetry)
                    .recordAttributes("tenant") // opt in: mcp_runner.tenant.id on spans
                    .build())
            .build();
    // end-snippet
    return runner;
  }

  @Test
  void anObserverGivenToTheBuilderRecordsEachRunOnce() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel = sdk(spans);
        Runner runner = withObserver(otel)) {
      // Discovery is on: the ServiceLoader instance of the same class is left out.
      runner.run(
          agent, "Who am I?", RunOptions.builder().context(ContextKey.TENANT_ID, "acme").build());
      assertThat(names(spans.getFinishedSpanItems()))
          .containsExactly(
              "initialize",
              "tools/list",
              "chat",
              "tools/call whoami",
              "chat",
              "invoke_agent support");
      assertThat(spans.getFinishedSpanItems())
          .allSatisfy(s -> assertThat(s.getAttributes().asMap().toString()).contains("acme"));
    }
  }

  @Test
  void theDiscoveredObserverRecordsOnTheGlobalOpenTelemetry() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel = sdk(spans)) {
      GlobalOpenTelemetry.set(otel);
      try (Runner runner = Runners.create()) {
        runner.run(agent, "Who am I?", RunOptions.builder().build());
      }
      assertThat(names(spans.getFinishedSpanItems()))
          .contains("invoke_agent support", "tools/call whoami");
    }
  }

  @Test
  void standAloneWithTheSdkAutoconfiguration() {
    // What the README's properties would configure; here nothing is exported anywhere.
    System.setProperty("otel.traces.exporter", "none");
    System.setProperty("otel.metrics.exporter", "none");
    System.setProperty("otel.logs.exporter", "none");
    // snippet:autoconfigure
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk();
    Runner runner = Runners.builder().observer(OpenTelemetryObserver.create(sdk)).build();
    // end-snippet
    try (sdk;
        runner) {
      assertThat(runner.run(agent, "Who am I?", RunOptions.builder().build()).finalOutput())
          .isEqualTo("done");
    }
  }

  @Test
  void aToolCallInsideAnExecuteToolSpanRecordsOnThatSpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel = sdk(spans);
        Runner runner = withObserver(otel)) {
      McpToolbox toolbox =
          runner.toolbox(
              "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
      Tracer tracer = otel.getTracer("my-framework");
      String toolName = "whoami";
      String argumentsJson = "{}";
      ToolOutcome outcome;
      try (ToolboxRun toolboxRun = toolbox.open(RunOptions.builder().identity("alice").build())) {
        toolboxRun.tools();
        // snippet:execute-tool
        Span span =
            tracer
                .spanBuilder("execute_tool " + toolName)
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", toolName)
                .startSpan();
        try (Scope scope =
            OpenTelemetryObserver.executeToolContext(Context.current().with(span)).makeCurrent()) {
          outcome = toolboxRun.call(toolName, argumentsJson);
        } finally {
          span.end();
        }
        // end-snippet
      }
      assertThat(outcome.error()).isFalse();
      List<SpanData> finished = spans.getFinishedSpanItems();
      assertThat(names(finished))
          .containsExactly("initialize", "tools/list", "execute_tool whoami");
      assertThat(finished.get(2).getAttributes().asMap().toString())
          .contains("mcp.method.name=tools/call")
          .contains("mcp.session.id=");
    }
  }

  private static OpenTelemetrySdk sdk(InMemorySpanExporter spans) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).collect(Collectors.toList());
  }
}
