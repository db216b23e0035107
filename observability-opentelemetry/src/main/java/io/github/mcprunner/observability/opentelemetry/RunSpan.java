package io.github.mcprunner.observability.opentelemetry;

import static io.github.mcprunner.observability.opentelemetry.SemanticAttributes.*;

import io.github.mcprunner.model.Usage;
import io.github.mcprunner.observe.McpRequestObservation;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.ModelTurnObservation;
import io.github.mcprunner.observe.ModelTurnStart;
import io.github.mcprunner.observe.RunObservation;
import io.github.mcprunner.observe.RunStart;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * The {@code invoke_agent} span of one agent run, parent of its chat and MCP request spans; for a
 * toolbox run no span at all: its MCP request spans are children of the context current when each
 * request starts (the agent framework's), and a {@code tools/call} under a span marked with {@link
 * OpenTelemetryObserver#executeToolContext} records on that span.
 */
final class RunSpan implements RunObservation {
  private final OpenTelemetryObserver observer;
  private final Telemetry telemetry;
  private final String runId;
  private final @Nullable Span span;
  private final Attributes optIns;
  private final @Nullable Context context;

  RunSpan(
      OpenTelemetryObserver observer,
      Telemetry telemetry,
      RunStart run,
      Attributes optIns,
      Context parent) {
    this.observer = observer;
    this.telemetry = telemetry;
    this.runId = run.runId();
    this.optIns = optIns;
    if (run.kind() == RunStart.Kind.TOOLBOX) {
      this.span = null;
      this.context = null;
      return;
    }
    Span started =
        telemetry
            .tracer
            .spanBuilder("invoke_agent " + run.agentName())
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GEN_AI_OPERATION_NAME, "invoke_agent")
            .setAttribute(GEN_AI_AGENT_NAME, run.agentName())
            .setAttribute(MCP_RUNNER_RUN_ID, run.runId())
            .setAllAttributes(optIns)
            .startSpan();
    this.span = started;
    this.context = parent.with(started);
  }

  /** The parent of the run's spans: the run's span, or for a toolbox run the current context. */
  private Context parent() {
    Context c = context;
    return c != null ? c : Context.current();
  }

  @Override
  public ModelTurnObservation modelTurnStarted(int turn) {
    return modelTurnStarted(new ModelTurnStart(turn, null, null));
  }

  @Override
  public ModelTurnObservation modelTurnStarted(ModelTurnStart turn) {
    long start = telemetry.nanoTime.getAsLong();
    AttributesBuilder common = Attributes.builder().put(GEN_AI_OPERATION_NAME, "chat");
    turn.provider().ifPresent(provider -> common.put(GEN_AI_PROVIDER_NAME, provider));
    turn.model().ifPresent(model -> common.put(GEN_AI_REQUEST_MODEL, model));
    Attributes chatAttributes = common.build();
    Attributes inputTokens = chatAttributes.toBuilder().put(GEN_AI_TOKEN_TYPE, "input").build();
    Attributes outputTokens = chatAttributes.toBuilder().put(GEN_AI_TOKEN_TYPE, "output").build();
    Span chat =
        telemetry
            .tracer
            .spanBuilder(turn.model().map(model -> "chat " + model).orElse("chat"))
            .setParent(parent())
            .setSpanKind(SpanKind.CLIENT)
            .setAllAttributes(chatAttributes)
            .setAllAttributes(optIns)
            .startSpan();
    return new ModelTurnObservation() {
      @Override
      public void turnFinished(Usage usage, int toolCalls) {
        chat.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens());
        chat.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens());
        chat.end();
        telemetry.genAiOperationDuration.record(
            Telemetry.seconds(telemetry.nanoTime.getAsLong() - start), chatAttributes);
        telemetry.genAiTokenUsage.record(usage.inputTokens(), inputTokens);
        telemetry.genAiTokenUsage.record(usage.outputTokens(), outputTokens);
      }

      @Override
      public void turnFailed(Throwable error) {
        String type = error.getClass().getName();
        chat.setAttribute(ERROR_TYPE, type);
        chat.setStatus(StatusCode.ERROR);
        chat.end();
        telemetry.genAiOperationDuration.record(
            Telemetry.seconds(telemetry.nanoTime.getAsLong() - start),
            chatAttributes.toBuilder().put(ERROR_TYPE, type).build());
      }
    };
  }

  @Override
  public McpRequestObservation mcpRequestStarted(McpRequestStart request) {
    McpRequestSpan started =
        new McpRequestSpan(observer, telemetry, runId, parent(), request, optIns);
    observer.inFlight.put(runId, started);
    return started;
  }

  @Override
  public void runFinished(Usage usage) {
    observer.inFlight.remove(runId);
    Span s = span;
    if (s == null) {
      return;
    }
    s.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens());
    s.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens());
    s.end();
  }

  @Override
  public void runFailed(Throwable error) {
    observer.inFlight.remove(runId);
    Span s = span;
    if (s == null) {
      return;
    }
    s.setAttribute(ERROR_TYPE, error.getClass().getName());
    s.setStatus(StatusCode.ERROR);
    s.end();
  }
}
