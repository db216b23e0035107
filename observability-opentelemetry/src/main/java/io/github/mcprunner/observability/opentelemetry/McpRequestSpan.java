package io.github.mcprunner.observability.opentelemetry;

import static io.github.mcprunner.observability.opentelemetry.SemanticAttributes.*;

import io.github.mcprunner.observe.McpRequestObservation;
import io.github.mcprunner.observe.McpRequestStart;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client span of one MCP request, and the trace context it propagates. A {@code tools/call}
 * whose parent context carries a span marked as an outer GenAI {@code execute_tool} span ({@link
 * OpenTelemetryObserver#executeToolContext}) records on that span instead, as the MCP conventions
 * ask: its owner names, times and ends it.
 */
final class McpRequestSpan implements McpRequestObservation {
  private static final TextMapSetter<Map<String, String>> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.put(key, value);
        }
      };

  private final OpenTelemetryObserver observer;
  private final Telemetry telemetry;
  private final String runId;
  private final McpRequestStart request;
  private final Span span;
  // False when the request records on an outer execute_tool span, which its owner ends.
  private final boolean ownsSpan;
  private final Attributes metricAttributes;
  private final long start;
  private final Map<String, String> propagated;

  McpRequestSpan(
      OpenTelemetryObserver observer,
      Telemetry telemetry,
      String runId,
      Context parent,
      McpRequestStart request,
      Attributes optIns) {
    this.observer = observer;
    this.telemetry = telemetry;
    this.runId = runId;
    this.request = request;
    this.start = telemetry.nanoTime.getAsLong();
    AttributesBuilder attributes = Attributes.builder();
    attributes.put(MCP_METHOD_NAME, request.method());
    request.tool().ifPresent(tool -> attributes.put(GEN_AI_TOOL_NAME, tool));
    if ("tools/call".equals(request.method())) {
      attributes.put(GEN_AI_OPERATION_NAME, "execute_tool");
    }
    request.protocol().ifPresent(v -> attributes.put(MCP_PROTOCOL_VERSION, v));
    Telemetry.putServer(attributes, request.serverUrl());
    attributes.put(NETWORK_TRANSPORT, "tcp");
    attributes.put(NETWORK_PROTOCOL_NAME, "http");
    this.metricAttributes = attributes.build();
    Span outer = OpenTelemetryObserver.executeToolSpan(parent, request);
    if (outer != null) {
      this.span = outer;
      this.ownsSpan = false;
      outer.setAllAttributes(metricAttributes);
      outer.setAttribute(MCP_RUNNER_SERVER_NAME, request.serverName());
      request.session().ifPresent(id -> outer.setAttribute(MCP_SESSION_ID, id));
      outer.setAllAttributes(optIns);
    } else {
      String name =
          request.toolName() == null
              ? request.method()
              : request.method() + " " + request.toolName();
      SpanBuilder builder =
          telemetry
              .tracer
              .spanBuilder(name)
              .setParent(parent)
              .setSpanKind(SpanKind.CLIENT)
              .setAllAttributes(metricAttributes)
              .setAttribute(MCP_RUNNER_SERVER_NAME, request.serverName())
              .setAllAttributes(optIns);
      request.session().ifPresent(id -> builder.setAttribute(MCP_SESSION_ID, id));
      this.span = builder.startSpan();
      this.ownsSpan = true;
    }
    Map<String, String> carrier = new LinkedHashMap<>();
    telemetry.propagator.inject(parent.with(span), carrier, SETTER);
    this.propagated = Collections.unmodifiableMap(carrier);
  }

  /** Returns whether this is the request of {@code method} (and {@code tool}, when given). */
  boolean isFor(@Nullable String method, @Nullable String tool) {
    return request.method().equals(method) && (tool == null || tool.equals(request.toolName()));
  }

  /** The propagated trace context (W3C {@code traceparent}, ...). */
  Map<String, String> propagated() {
    return propagated;
  }

  @Override
  public Map<String, String> meta() {
    return propagated;
  }

  @Override
  public void requestSent(String jsonRpcId) {
    span.setAttribute(JSONRPC_REQUEST_ID, jsonRpcId);
  }

  @Override
  public void requestSucceeded(boolean toolError) {
    if (toolError) {
      end("tool_error", null);
      return;
    }
    if (ownsSpan) {
      span.end();
    }
    telemetry.mcpOperationDuration.record(elapsed(), metricAttributes);
    observer.inFlight.remove(runId, this);
  }

  @Override
  public void requestFailed(String errorType, @Nullable Integer jsonRpcErrorCode) {
    end(errorType, jsonRpcErrorCode);
  }

  private void end(String errorType, @Nullable Integer code) {
    AttributesBuilder failure = metricAttributes.toBuilder().put(ERROR_TYPE, errorType);
    span.setAttribute(ERROR_TYPE, errorType);
    if (code != null) {
      String status = Integer.toString(code);
      span.setAttribute(RPC_RESPONSE_STATUS_CODE, status);
      failure.put(RPC_RESPONSE_STATUS_CODE, status);
    }
    span.setStatus(StatusCode.ERROR);
    if (ownsSpan) {
      span.end();
    }
    telemetry.mcpOperationDuration.record(elapsed(), failure.build());
    observer.inFlight.remove(runId, this);
  }

  private double elapsed() {
    return Telemetry.seconds(telemetry.nanoTime.getAsLong() - start);
  }
}
