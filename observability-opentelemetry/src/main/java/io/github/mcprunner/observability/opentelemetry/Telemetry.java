package io.github.mcprunner.observability.opentelemetry;

import static io.github.mcprunner.observability.opentelemetry.SemanticAttributes.*;

import io.github.mcprunner.observe.McpSessionObservation;
import io.github.mcprunner.observe.McpSessionStart;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/** The tracer, meter instruments and propagator of one {@link OpenTelemetry}. */
final class Telemetry {
  final Tracer tracer;
  final TextMapPropagator propagator;
  final DoubleHistogram mcpOperationDuration;
  final DoubleHistogram mcpSessionDuration;
  final DoubleHistogram genAiOperationDuration;
  final LongHistogram genAiTokenUsage;
  final LongSupplier nanoTime;

  Telemetry(OpenTelemetry openTelemetry, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    String version = Telemetry.class.getPackage().getImplementationVersion();
    this.tracer =
        version == null
            ? openTelemetry.getTracer(OpenTelemetryObserver.SCOPE)
            : openTelemetry.getTracer(OpenTelemetryObserver.SCOPE, version);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    Meter meter = openTelemetry.getMeter(OpenTelemetryObserver.SCOPE);
    this.mcpOperationDuration =
        meter
            .histogramBuilder("mcp.client.operation.duration")
            .setUnit("s")
            .setDescription(
                "The duration of the MCP request or notification as observed on the sender from"
                    + " the time it was sent until the response or ack is received.")
            .setExplicitBucketBoundariesAdvice(MCP_DURATION_BUCKETS)
            .build();
    this.mcpSessionDuration =
        meter
            .histogramBuilder("mcp.client.session.duration")
            .setUnit("s")
            .setDescription("The duration of the MCP session as observed on the MCP client.")
            .setExplicitBucketBoundariesAdvice(MCP_DURATION_BUCKETS)
            .build();
    this.genAiOperationDuration =
        meter
            .histogramBuilder("gen_ai.client.operation.duration")
            .setUnit("s")
            .setDescription("GenAI operation duration.")
            .setExplicitBucketBoundariesAdvice(GEN_AI_DURATION_BUCKETS)
            .build();
    this.genAiTokenUsage =
        meter
            .histogramBuilder("gen_ai.client.token.usage")
            .ofLongs()
            .setUnit("{token}")
            .setDescription("Number of input and output tokens used.")
            .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
            .build();
  }

  /** Puts {@code server.address} and {@code server.port} of {@code url}. */
  static void putServer(AttributesBuilder attributes, URI url) {
    String host = url.getHost();
    if (host != null) {
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      attributes.put(SERVER_ADDRESS, host);
      int port = url.getPort();
      if (port < 0) {
        port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
      }
      attributes.put(SERVER_PORT, (long) port);
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  McpSessionObservation sessionOpened(McpSessionStart session) {
    long start = nanoTime.getAsLong();
    AttributesBuilder attributes = Attributes.builder();
    putServer(attributes, session.serverUrl());
    session.protocol().ifPresent(v -> attributes.put(MCP_PROTOCOL_VERSION, v));
    attributes.put(NETWORK_TRANSPORT, "tcp");
    attributes.put(NETWORK_PROTOCOL_NAME, "http");
    Attributes done = attributes.build();
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        mcpSessionDuration.record(seconds(nanoTime.getAsLong() - start), done);
      }
    };
  }
}
