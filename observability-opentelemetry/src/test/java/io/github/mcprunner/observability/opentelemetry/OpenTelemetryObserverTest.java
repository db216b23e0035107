package io.github.mcprunner.observability.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observer end to end: a real runner, two embedded MCP servers, the OpenTelemetry SDK with
 * in-memory exporters.
 */
class OpenTelemetryObserverTest {
  private static final String TOKEN = "Bearer tok-3f9a1c77e2";
  private static final String API_KEY = "key-77aa09b1c4";
  private static final String SUBJECT_TOKEN = "subject-5d20e8c1ab";

  /** The attributes the README's span tree shows (ids, ports and versions vary by run). */
  static final List<String> TREE_KEYS =
      List.of(
          "gen_ai.operation.name",
          "gen_ai.agent.name",
          "gen_ai.provider.name",
          "gen_ai.request.model",
          "gen_ai.tool.name",
          "mcp.method.name",
          "mcp_runner.server.name",
          "error.type",
          "gen_ai.usage.input_tokens",
          "gen_ai.usage.output_tokens",
          "mcp_runner.tenant.id");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private OpenTelemetrySdk otel;
  private EmbeddedMcpServer tickets;
  private EmbeddedMcpServer crm;
  private final List<Runner> runners = new ArrayList<>();

  @BeforeEach
  void start() {
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    tickets = EmbeddedMcpServer.builder().defaultTools().start();
    crm =
        EmbeddedMcpServer.builder()
            .tool(
                "crm_lookup",
                "Looks a customer up.",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}",
                (args, request) -> "customer " + args.get("id"))
            .tool(
                "crm_fail",
                "Always fails.",
                "{\"type\":\"object\",\"properties\":{}}",
                (args, request) -> {
                  throw new IllegalStateException("the CRM is down");
                })
            .start();
  }

  @AfterEach
  void stop() {
    runners.forEach(Runner::close);
    tickets.close();
    crm.close();
    otel.close();
  }

  private Runner runner(OpenTelemetryObserver observer) {
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverObservers(false)
            .observer(observer)
            .build();
    runners.add(runner);
    return runner;
  }

  /** A model that tells observers its provider and name, as a real provider's model would. */
  private static Model named(Model model) {
    return new Model() {
      @Override
      public ModelResponse respond(ModelRequest request) {
        return model.respond(request);
      }

      @Override
      public Optional<String> providerName() {
        return Optional.of("openai");
      }

      @Override
      public Optional<String> requestModel() {
        return Optional.of("gpt-4o-mini");
      }
    };
  }

  private Agent agent(Model model) {
    return Agent.builder("support")
        .instructions("Help.")
        .model(model)
        .mcpServer(McpServerSpec.builder("tickets", tickets.url()).build())
        .mcpServer(
            McpServerSpec.builder("crm", crm.url())
                .headers(McpHeaders.of("X-Api-Key", API_KEY))
                .build())
        .build();
  }

  private static ScriptedModel threeCalls() {
    return ScriptedModel.builder()
        .callTool("whoami", "{}")
        .callTools(
            List.of(
                ScriptedModel.call("crm_lookup", "{\"id\":\"cust-42q\"}"),
                ScriptedModel.call("crm_fail", "{}")))
        .answer("done")
        .build();
  }

  private static RunOptions options(String tenant, String user) {
    return RunOptions.builder()
        .mcpHeaders(McpHeaders.of("Authorization", TOKEN, "X-Tenant-Id", tenant))
        .context(ContextKey.TENANT_ID, tenant)
        .context(ContextKey.USER_ID, user)
        .context(ContextKey.SUBJECT_TOKEN, SUBJECT_TOKEN)
        .build();
  }

  @Test
  void oneRunWithTwoServersAndThreeToolCallsExportsTheSpecifiedSpanTree() throws Exception {
    Runner runner = runner(OpenTelemetryObserver.builder(otel).recordAttributes("tenant").build());
    Span request = otel.getTracer("test").spanBuilder("HTTP POST /support").startSpan();
    RunResult result;
    try (Scope ignored = request.makeCurrent()) {
      result =
          runner.run(
              agent(named(threeCalls())), "Look up customer cust-42q", options("acme", "alice"));
    } finally {
      request.end();
    }
    assertThat(result.finalOutput()).isEqualTo("done");

    List<SpanData> exported = spans.getFinishedSpanItems();
    String tree = SpanTree.render(exported, TREE_KEYS);
    assertThat(tree).isEqualTo(expectedTree());
    assertThat(readmeTree())
        .as("the README's span tree is the one this test exports")
        .isEqualTo(expectedTree());

    SpanData run = only(exported, "invoke_agent support");
    assertThat(run.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(run.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(run.getAttributes().get(AttributeKey.stringKey("mcp_runner.run.id")))
        .isEqualTo(result.runId());
    for (SpanData span : exported) {
      assertThat(span.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
      if (span != run && !span.getName().startsWith("HTTP")) {
        assertThat(span.getParentSpanId()).as(span.getName()).isEqualTo(run.getSpanId());
      }
    }

    SpanData whoami = only(exported, "tools/call whoami");
    RecordedRequest whoamiRequest = recorded(tickets, "tools/call", "whoami");
    assertThat(whoami.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(whoami.getAttributes().asMap())
        .isEqualTo(
            Attributes.builder()
                .put("mcp.method.name", "tools/call")
                .put("gen_ai.tool.name", "whoami")
                .put("gen_ai.operation.name", "execute_tool")
                .put("jsonrpc.request.id", whoamiRequest.jsonRpcId())
                .put("mcp.protocol.version", whoamiRequest.header("MCP-Protocol-Version").get())
                .put("server.address", "127.0.0.1")
                .put("server.port", (long) tickets.port())
                .put("network.transport", "tcp")
                .put("network.protocol.name", "http")
                .put("mcp_runner.server.name", "tickets")
                .put("mcp_runner.tenant.id", "acme")
                .put("mcp.session.id", whoamiRequest.sessionId())
                .build()
                .asMap());
    assertThat(whoamiRequest.sessionId()).isNotBlank();
    assertThat(whoami.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    SpanData chat = exported.stream().filter(s -> s.getName().startsWith("chat")).findFirst().get();
    assertThat(chat.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("openai");

    SpanData failed = only(exported, "tools/call crm_fail");
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("tool_error");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(only(exported, "tools/call crm_lookup").getStatus().getStatusCode())
        .isEqualTo(StatusCode.UNSET);

    // Each request carries its own span's context, in params._meta and in the HTTP header.
    assertPropagated(whoami, whoamiRequest);
    assertPropagated(
        only(exported, "tools/call crm_lookup"), recorded(crm, "tools/call", "crm_lookup"));
    assertPropagated(failed, recorded(crm, "tools/call", "crm_fail"));
    List<SpanData> lists =
        exported.stream()
            .filter(s -> s.getName().equals("tools/list"))
            .collect(Collectors.toList());
    assertThat(lists).hasSize(2);
    assertPropagated(
        lists.stream().filter(s -> server(s).equals("tickets")).findFirst().get(),
        recorded(tickets, "tools/list", null));
    // initialize too: the MCP SDK builds it, the runner adds the _meta entries on its way out.
    SpanData initialize =
        exported.stream()
            .filter(s -> s.getName().equals("initialize") && server(s).equals("crm"))
            .findFirst()
            .get();
    assertPropagated(initialize, recorded(crm, "initialize", null));
    // No session yet when initialize is sent; the session's later requests carry its id.
    assertThat(initialize.getAttributes().get(AttributeKey.stringKey("mcp.session.id"))).isNull();

    // The requests that belong to no MCP request span (notifications, GET stream) carry nothing.
    for (RecordedRequest r : crm.requests()) {
      if (r.mcpMethod() == null || r.mcpMethod().startsWith("notifications/")) {
        assertThat(r.header("traceparent")).as(r.toString()).isEmpty();
      }
    }
    assertNoSecretExported();
  }

  @Test
  void metricsFollowTheConventions() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    runner.run(agent(threeCalls()), "Look up customer cust-42q", options("acme", "alice"));
    runner.close();

    Collection<MetricData> all = metrics.collectAllMetrics();
    MetricData operations = metric(all, "mcp.client.operation.duration");
    assertThat(operations.getUnit()).isEqualTo("s");
    List<Attributes> points =
        operations.getHistogramData().getPoints().stream()
            .map(HistogramPointData::getAttributes)
            .collect(Collectors.toList());
    assertThat(points)
        .anySatisfy(
            a -> {
              assertThat(a.get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
              assertThat(a.get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("crm_fail");
              assertThat(a.get(AttributeKey.stringKey("error.type"))).isEqualTo("tool_error");
            });
    long calls =
        operations.getHistogramData().getPoints().stream()
            .filter(
                p ->
                    "tools/call"
                        .equals(p.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))))
            .mapToLong(HistogramPointData::getCount)
            .sum();
    assertThat(calls).isEqualTo(3);
    // No tenant, user or run id on metrics, opted in or not: their cardinality is unbounded.
    for (Attributes a : points) {
      assertThat(a.asMap().keySet())
          .extracting(AttributeKey::getKey)
          .doesNotContain("mcp_runner.tenant.id", "user.id", "mcp_runner.run.id");
    }

    MetricData sessions = metric(all, "mcp.client.session.duration");
    assertThat(
            sessions.getHistogramData().getPoints().stream()
                .mapToLong(HistogramPointData::getCount)
                .sum())
        .as("both sessions closed with the runner")
        .isEqualTo(2);

    MetricData chat = metric(all, "gen_ai.client.operation.duration");
    assertThat(
            chat.getHistogramData().getPoints().stream()
                .mapToLong(HistogramPointData::getCount)
                .sum())
        .isEqualTo(3);
    MetricData tokens = metric(all, "gen_ai.client.token.usage");
    Map<String, Double> byType =
        tokens.getHistogramData().getPoints().stream()
            .collect(
                Collectors.groupingBy(
                    p -> p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type")),
                    Collectors.summingDouble(HistogramPointData::getSum)));
    assertThat(byType)
        .containsEntry("input", 3.0 * ScriptedModel.DEFAULT_USAGE.inputTokens())
        .containsEntry("output", 3.0 * ScriptedModel.DEFAULT_USAGE.outputTokens());
    assertNoSecretExported();
  }

  @Test
  void aPerRunLayerCanRemoveTheTraceparentHeader() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    RunOptions options =
        RunOptions.builder()
            .mcpHeaders(
                McpHeaders.builder().set("Authorization", TOKEN).remove("traceparent").build())
            .build();
    runner.run(agent(threeCalls()), "Look up customer cust-42q", options);

    RecordedRequest call = recorded(tickets, "tools/call", "whoami");
    assertThat(call.header("traceparent")).isEmpty();
    // The JSON-RPC message still carries the context: _meta is not an HTTP header.
    assertThat(call.body())
        .contains(
            "\"traceparent\":\""
                + traceparent(only(spans.getFinishedSpanItems(), "tools/call whoami"))
                + "\"");
  }

  @Test
  void concurrentRunsOfDifferentTenantsEachKeepTheirOwnTraceAndTenant() throws Exception {
    Runner runner =
        runner(OpenTelemetryObserver.builder(otel).recordAttributes("tenant,user").build());
    Agent agent = agent(threeCalls());
    int runs = 32;
    List<CompletableFuture<RunResult>> futures = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      futures.add(
          runner.runAsync(agent, "Look up customer cust-42q", options("tenant-" + i, "user-" + i)));
    }
    Map<String, String> tenantOfRun = new java.util.HashMap<>();
    for (int i = 0; i < runs; i++) {
      tenantOfRun.put(futures.get(i).get(60, TimeUnit.SECONDS).runId(), "tenant-" + i);
    }

    List<SpanData> exported = spans.getFinishedSpanItems();
    Map<String, SpanData> runSpans =
        exported.stream()
            .filter(s -> s.getName().equals("invoke_agent support"))
            .collect(Collectors.toMap(s -> s.getSpanId(), s -> s));
    assertThat(runSpans).hasSize(runs);
    assertThat(runSpans.values().stream().map(SpanData::getTraceId).distinct()).hasSize(runs);
    Map<String, String> tenantOfTrace = new java.util.HashMap<>();
    for (SpanData run : runSpans.values()) {
      String runId = run.getAttributes().get(AttributeKey.stringKey("mcp_runner.run.id"));
      String tenant = tenantOfRun.get(runId);
      assertThat(run.getAttributes().get(AttributeKey.stringKey("mcp_runner.tenant.id")))
          .isEqualTo(tenant);
      assertThat(run.getAttributes().get(AttributeKey.stringKey("user.id")))
          .isEqualTo(tenant.replace("tenant-", "user-"));
      tenantOfTrace.put(run.getTraceId(), tenant);
    }
    Map<String, SpanData> bySpanId =
        exported.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
    for (SpanData span : exported) {
      if (runSpans.containsKey(span.getSpanId())) {
        continue;
      }
      SpanData parent = runSpans.get(span.getParentSpanId());
      assertThat(parent).as(span.getName() + " has its run's span as parent").isNotNull();
      assertThat(span.getTraceId()).isEqualTo(parent.getTraceId());
      assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp_runner.tenant.id")))
          .as(span.getName())
          .isEqualTo(tenantOfTrace.get(span.getTraceId()));
    }
    // Every traced request the servers saw carries a span of the tenant whose headers it has.
    int checked = 0;
    for (EmbeddedMcpServer server : List.of(tickets, crm)) {
      for (RecordedRequest r : server.requests()) {
        if (r.header("traceparent").isEmpty()) {
          continue;
        }
        String[] parts = r.header("traceparent").get().split("-");
        SpanData span = bySpanId.get(parts[2]);
        assertThat(span).as(r.toString()).isNotNull();
        assertThat(span.getTraceId()).isEqualTo(parts[1]);
        assertThat(tenantOfTrace.get(parts[1])).isEqualTo(r.header("X-Tenant-Id").get());
        assertThat(r.body()).contains("\"traceparent\":\"" + r.header("traceparent").get() + "\"");
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(runs * 3);
    assertNoSecretExported();
  }

  @Test
  void aCallTheServerRefusesWithAnHttpStatusFailsItsSpanAndTheRun() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    Agent agent = agent(threeCalls());
    runner.run(agent, "Look up customer cust-42q", options("acme", "alice"));
    spans.reset();
    // The session and its tool list are pooled: the next POST is the first tools/call.
    tickets.failNextRequests(1, 503);

    assertThatThrownBy(
            () -> runner.run(agent, "Look up customer cust-42q", options("acme", "alice")))
        .isInstanceOf(io.github.mcprunner.McpServerException.class);

    List<SpanData> exported = spans.getFinishedSpanItems();
    SpanData call = only(exported, "tools/call whoami");
    assertThat(call.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    assertThat(call.getAttributes().get(AttributeKey.stringKey("rpc.response.status_code")))
        .isNull();
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData run = only(exported, "invoke_agent support");
    assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(run.getAttributes().get(AttributeKey.stringKey("error.type")))
        .startsWith("io.github.mcprunner.");
    assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
    assertNoSecretExported();
  }

  @Test
  void aRequestRetriedOnANewSessionIsASpanOfItsOwn() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    Agent agent = agent(threeCalls());
    runner.run(agent, "Look up customer cust-42q", options("acme", "alice"));
    spans.reset();
    tickets.expireSessions();

    runner.run(agent, "Look up customer cust-42q", options("acme", "alice"));

    List<SpanData> exported = new ArrayList<>(spans.getFinishedSpanItems());
    exported.sort(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos));
    List<String> tickets =
        exported.stream()
            .filter(s -> "tickets".equals(server(s)))
            .map(
                s ->
                    s.getName() + " " + s.getAttributes().get(AttributeKey.stringKey("error.type")))
            .collect(Collectors.toList());
    assertThat(tickets)
        .containsExactly("tools/call whoami 404", "initialize null", "tools/call whoami null");
  }

  @Test
  void aToolboxRunRecordsItsRequestsUnderTheCallersSpanWithoutARunSpan() {
    Runner runner = runner(OpenTelemetryObserver.builder(otel).recordAttributes("tenant").build());
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", tickets.url()).build()));
    Span framework = otel.getTracer("test").spanBuilder("framework turn").startSpan();
    try (Scope ignored = framework.makeCurrent();
        ToolboxRun run = toolbox.open(options("acme", "alice"))) {
      assertThat(run.call("whoami", "{}").error()).isFalse();
    } finally {
      framework.end();
    }

    List<SpanData> exported = spans.getFinishedSpanItems();
    assertThat(SpanTree.render(exported, List.of("mcp.method.name", "mcp_runner.tenant.id")))
        .isEqualTo(
            String.join(
                "\n",
                "framework turn [INTERNAL]",
                "  initialize [CLIENT] mcp.method.name=initialize mcp_runner.tenant.id=acme",
                "  tools/list [CLIENT] mcp.method.name=tools/list mcp_runner.tenant.id=acme",
                "  tools/call whoami [CLIENT] mcp.method.name=tools/call"
                    + " mcp_runner.tenant.id=acme",
                ""));
    SpanData call = only(exported, "tools/call whoami");
    RecordedRequest request = recorded(tickets, "tools/call", "whoami");
    assertThat(call.getAttributes().get(AttributeKey.stringKey("mcp.session.id")))
        .isEqualTo(request.sessionId());
    assertPropagated(call, request);
    assertPropagated(only(exported, "initialize"), recorded(tickets, "initialize", null));
    assertNoSecretExported();
  }

  @Test
  void statelessRequestsAreSpansAtProtocol20260728WithTheirTraceContextInMeta() {
    Runner runner = runner(OpenTelemetryObserver.builder(otel).recordAttributes("tenant").build());
    RunResult result;
    try (EmbeddedMcpServer modern =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.MODERN).defaultTools().start()) {
      Agent agent =
          Agent.builder("support")
              .instructions("Help.")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .callTool("confirm", "{\"action\":\"deploy\"}")
                      .answer("done")
                      .build())
              .mcpServer(McpServerSpec.builder("modern", modern.url()).build())
              .build();
      result = runner.run(agent, "Who am I?", options("acme", "alice"));

      List<SpanData> exported = spans.getFinishedSpanItems();
      List<RecordedRequest> requests = modern.requests();
      // AUTO's probe is sent but is no span; the list, the call and both rounds of the multi
      // round-trip call are spans of their own, each under the run.
      assertThat(requests)
          .extracting(RecordedRequest::mcpMethod)
          .containsExactly(
              "server/discover", "tools/list", "tools/call", "tools/call", "tools/call");
      List<SpanData> mcp =
          exported.stream()
              .filter(s -> "modern".equals(server(s)))
              .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
              .collect(Collectors.toList());
      assertThat(mcp)
          .extracting(SpanData::getName)
          .containsExactly(
              "tools/list", "tools/call whoami", "tools/call confirm", "tools/call confirm");
      SpanData run = only(exported, "invoke_agent support");
      for (int i = 0; i < mcp.size(); i++) {
        SpanData span = mcp.get(i);
        RecordedRequest request = requests.get(i + 1);
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp.protocol.version")))
            .as(span.getName())
            .isEqualTo("2026-07-28")
            .isEqualTo(request.header("MCP-Protocol-Version").get());
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp.session.id"))).isNull();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("jsonrpc.request.id")))
            .isEqualTo(request.jsonRpcId());
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        // The server received the span's traceparent in params._meta (and as the HTTP header).
        assertPropagated(span, request);
      }
      assertThat(mcp.get(2).getSpanId()).isNotEqualTo(mcp.get(3).getSpanId());
      assertThat(requests.get(0).body()).doesNotContain("traceparent");
    }
    assertThat(result.finalOutput()).isEqualTo("done");
    assertNoSecretExported();
  }

  @Test
  void aToolCallUnderAMarkedExecuteToolSpanRecordsOnItInsteadOfASpanOfItsOwn() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    McpToolbox toolbox =
        runner.toolbox("assistant", List.of(McpServerSpec.builder("crm", crm.url()).build()));
    try (ToolboxRun run = toolbox.open(options("acme", "alice"))) {
      run.tools();
    }
    spans.reset();

    Span lookup = executeTool("crm_lookup");
    try (Scope ignored =
            OpenTelemetryObserver.executeToolContext(Context.current().with(lookup)).makeCurrent();
        ToolboxRun run = toolbox.open(options("acme", "alice"))) {
      assertThat(run.call("crm_lookup", "{\"id\":\"cust-42q\"}").error()).isFalse();
    } finally {
      lookup.end();
    }
    Span fail = executeTool("crm_fail");
    try (Scope ignored =
            OpenTelemetryObserver.executeToolContext(Context.current().with(fail)).makeCurrent();
        ToolboxRun run = toolbox.open(options("acme", "alice"))) {
      assertThat(run.call("crm_fail", "{}").error()).isTrue();
    } finally {
      fail.end();
    }

    List<SpanData> exported = spans.getFinishedSpanItems();
    assertThat(exported)
        .extracting(SpanData::getName)
        .as("no MCP span beside the execute_tool spans")
        .containsExactly("execute_tool crm_lookup", "execute_tool crm_fail");
    SpanData lookupSpan = only(exported, "execute_tool crm_lookup");
    RecordedRequest lookupRequest = recorded(crm, "tools/call", "crm_lookup");
    Map<String, Object> attributes = new java.util.TreeMap<>();
    lookupSpan.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), v));
    assertThat(attributes)
        .containsEntry("mcp.method.name", "tools/call")
        .containsEntry("gen_ai.tool.name", "crm_lookup")
        .containsEntry("gen_ai.operation.name", "execute_tool")
        .containsEntry("jsonrpc.request.id", lookupRequest.jsonRpcId())
        .containsEntry("mcp.session.id", lookupRequest.sessionId())
        .containsEntry("mcp_runner.server.name", "crm")
        .containsEntry("server.port", (long) crm.port());
    assertThat(lookupSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertPropagated(lookupSpan, lookupRequest);
    SpanData failSpan = only(exported, "execute_tool crm_fail");
    assertThat(failSpan.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("tool_error");
    assertThat(failSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertPropagated(failSpan, recorded(crm, "tools/call", "crm_fail"));
    assertThat(
            metric(metrics.collectAllMetrics(), "mcp.client.operation.duration")
                .getHistogramData()
                .getPoints()
                .stream()
                .filter(
                    p -> p.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")) != null)
                .mapToLong(HistogramPointData::getCount)
                .sum())
        .as("the calls are still measured")
        .isEqualTo(2);
  }

  private Span executeTool(String tool) {
    return otel.getTracer("framework")
        .spanBuilder("execute_tool " + tool)
        .setAttribute("gen_ai.operation.name", "execute_tool")
        .setAttribute("gen_ai.tool.name", tool)
        .startSpan();
  }

  @Test
  void anUnknownOptInAttributeIsRefusedByName() {
    assertThatThrownBy(() -> OpenTelemetryObserver.builder(otel).recordAttributes("tenant,email"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "recordAttributes names the unknown attribute 'email'; known are: tenant, user");
  }

  @Test
  void withoutOptInNoTenantNorUserIsRecorded() {
    Runner runner = runner(OpenTelemetryObserver.create(otel));
    runner.run(agent(threeCalls()), "Look up customer cust-42q", options("acme", "alice"));
    for (SpanData span : spans.getFinishedSpanItems()) {
      assertThat(span.toString()).doesNotContain("acme").doesNotContain("alice");
    }
  }

  static String expectedTree() {
    return String.join(
        "\n",
        "HTTP POST /support [INTERNAL]",
        "  invoke_agent support [INTERNAL] gen_ai.agent.name=support"
            + " gen_ai.operation.name=invoke_agent gen_ai.usage.input_tokens=30"
            + " gen_ai.usage.output_tokens=15 mcp_runner.tenant.id=acme",
        "    initialize [CLIENT] mcp.method.name=initialize mcp_runner.server.name=tickets"
            + " mcp_runner.tenant.id=acme",
        "    tools/list [CLIENT] mcp.method.name=tools/list mcp_runner.server.name=tickets"
            + " mcp_runner.tenant.id=acme",
        "    initialize [CLIENT] mcp.method.name=initialize mcp_runner.server.name=crm"
            + " mcp_runner.tenant.id=acme",
        "    tools/list [CLIENT] mcp.method.name=tools/list mcp_runner.server.name=crm"
            + " mcp_runner.tenant.id=acme",
        "    chat gpt-4o-mini [CLIENT] gen_ai.operation.name=chat gen_ai.provider.name=openai"
            + " gen_ai.request.model=gpt-4o-mini gen_ai.usage.input_tokens=10"
            + " gen_ai.usage.output_tokens=5 mcp_runner.tenant.id=acme",
        "    tools/call whoami [CLIENT] gen_ai.operation.name=execute_tool gen_ai.tool.name=whoami"
            + " mcp.method.name=tools/call mcp_runner.server.name=tickets"
            + " mcp_runner.tenant.id=acme",
        "    chat gpt-4o-mini [CLIENT] gen_ai.operation.name=chat gen_ai.provider.name=openai"
            + " gen_ai.request.model=gpt-4o-mini gen_ai.usage.input_tokens=10"
            + " gen_ai.usage.output_tokens=5 mcp_runner.tenant.id=acme",
        "    tools/call crm_lookup [CLIENT] gen_ai.operation.name=execute_tool"
            + " gen_ai.tool.name=crm_lookup mcp.method.name=tools/call mcp_runner.server.name=crm"
            + " mcp_runner.tenant.id=acme",
        "    tools/call crm_fail [CLIENT, ERROR] error.type=tool_error"
            + " gen_ai.operation.name=execute_tool gen_ai.tool.name=crm_fail"
            + " mcp.method.name=tools/call mcp_runner.server.name=crm mcp_runner.tenant.id=acme",
        "    chat gpt-4o-mini [CLIENT] gen_ai.operation.name=chat gen_ai.provider.name=openai"
            + " gen_ai.request.model=gpt-4o-mini gen_ai.usage.input_tokens=10"
            + " gen_ai.usage.output_tokens=5 mcp_runner.tenant.id=acme",
        "");
  }

  /** The {@code text} block of the README's section "The span tree of one run". */
  private static String readmeTree() throws java.io.IOException {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## The span tree of one run");
    assertThat(section).as("README section").isNotNegative();
    int start = readme.indexOf("```text\n", section) + "```text\n".length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end);
  }

  private void assertNoSecretExported() {
    List<String> exported = new ArrayList<>();
    spans.getFinishedSpanItems().forEach(s -> exported.add(s.toString()));
    metrics.collectAllMetrics().forEach(m -> exported.add(m.toString()));
    assertThat(exported).isNotEmpty();
    for (String item : exported) {
      for (String secret :
          List.of("tok-3f9a1c77e2", API_KEY, SUBJECT_TOKEN, "cust-42q", "the CRM is down")) {
        assertThat(item).as("an exported item").doesNotContain(secret);
      }
    }
  }

  private static void assertPropagated(SpanData span, RecordedRequest request) {
    String expected = traceparent(span);
    assertThat(request.header("traceparent")).as(span.getName()).contains(expected);
    assertThat(request.headerValues("traceparent")).hasSize(1);
    assertThat(request.body())
        .as(span.getName() + " _meta")
        .contains("\"_meta\":{")
        .contains("\"traceparent\":\"" + expected + "\"");
  }

  private static String traceparent(SpanData span) {
    return "00-"
        + span.getTraceId()
        + "-"
        + span.getSpanId()
        + "-"
        + span.getSpanContext().getTraceFlags().asHex();
  }

  private static String server(SpanData span) {
    return span.getAttributes().get(AttributeKey.stringKey("mcp_runner.server.name"));
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named =
        spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }

  private static RecordedRequest recorded(
      EmbeddedMcpServer server, String method, String toolName) {
    List<RecordedRequest> matching =
        server.requests().stream()
            .filter(r -> method.equals(r.mcpMethod()))
            .filter(r -> toolName == null || toolName.equals(r.toolName()))
            .collect(Collectors.toList());
    assertThat(matching).as(method + " " + toolName).hasSize(1);
    return matching.get(0);
  }

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }
}
