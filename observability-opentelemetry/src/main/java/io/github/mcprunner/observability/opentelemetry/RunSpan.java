package io.github.mcprunner.observability.opentelemetry;

import static io.github.mcprunner.observability.opentelemetry.SemanticAttributes.*;

import io.github.mcprunner.model.Usage;
import io.github.mcprunner.observe.McpRequestObservation;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.ModelTurnObservation;
import io.github.mcprunner.observe.RunObservation;
import io.github.mcprunner.observe.RunStart;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/** The {@code invoke_agent} span of one run, parent of its chat and MCP request spans. */
final class RunSpan implements RunObservation {
  private static final Attributes CHAT = Attributes.of(GEN_AI_OPERATION_NAME, "chat");
  private static final Attributes INPUT_TOKENS =
      Attributes.of(GEN_AI_OPERATION_NAME, "chat", GEN_AI_TOKEN_TYPE, "input");
  private static final Attributes OUTPUT_TOKENS =
      Attributes.of(GEN_AI_OPERATION_NAME, "chat", GEN_AI_TOKEN_TYPE, "output");

  private final OpenTelemetryObserver observer;
  private final Telemetry telemetry;
  private final String runId;
  private final Span span;
  private final Attributes optIns;
  final Context context;

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
    this.span =
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
    this.context = parent.with(span);
  }

  @Override
  public ModelTurnObservation modelTurnStarted(int turn) {
    long start = telemetry.nanoTime.getAsLong();
    Span chat =
        telemetry
            .tracer
            .spanBuilder("chat")
            .setParent(context)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(GEN_AI_OPERATION_NAME, "chat")
            .setAllAttributes(optIns)
            .startSpan();
    return new ModelTurnObservation() {
      @Override
      public void turnFinished(Usage usage, int toolCalls) {
        chat.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens());
        chat.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens());
        chat.end();
        telemetry.genAiOperationDuration.record(
            Telemetry.seconds(telemetry.nanoTime.getAsLong() - start), CHAT);
        telemetry.genAiTokenUsage.record(usage.inputTokens(), INPUT_TOKENS);
        telemetry.genAiTokenUsage.record(usage.outputTokens(), OUTPUT_TOKENS);
      }

      @Override
      public void turnFailed(Throwable error) {
        String type = error.getClass().getName();
        chat.setAttribute(ERROR_TYPE, type);
        chat.setStatus(StatusCode.ERROR);
        chat.end();
        telemetry.genAiOperationDuration.record(
            Telemetry.seconds(telemetry.nanoTime.getAsLong() - start),
            CHAT.toBuilder().put(ERROR_TYPE, type).build());
      }
    };
  }

  @Override
  public McpRequestObservation mcpRequestStarted(McpRequestStart request) {
    McpRequestSpan started =
        new McpRequestSpan(observer, telemetry, runId, context, request, optIns);
    observer.inFlight.put(runId, started);
    return started;
  }

  @Override
  public void runFinished(Usage usage) {
    span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens());
    span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens());
    span.end();
    observer.inFlight.remove(runId);
  }

  @Override
  public void runFailed(Throwable error) {
    span.setAttribute(ERROR_TYPE, error.getClass().getName());
    span.setStatus(StatusCode.ERROR);
    span.end();
    observer.inFlight.remove(runId);
  }
}
