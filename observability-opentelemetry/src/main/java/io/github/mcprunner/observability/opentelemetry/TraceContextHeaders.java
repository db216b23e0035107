package io.github.mcprunner.observability.opentelemetry;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import java.util.Map;

/**
 * Puts the trace context of the MCP request a run has in flight on the HTTP request that carries
 * it: the same {@code traceparent} (and {@code tracestate}, {@code baggage}) as in its {@code
 * params._meta}. Requests that belong to no observed request of the run (the GET event stream,
 * DELETE, notifications, a shared session's initialize) get nothing.
 */
final class TraceContextHeaders implements McpHeaderProvider {
  /** Before the providers of default order, so that any of them may replace or remove it. */
  static final int ORDER = -1000;

  private final OpenTelemetryObserver observer;

  TraceContextHeaders(OpenTelemetryObserver observer) {
    this.observer = observer;
  }

  @Override
  public String name() {
    return "opentelemetry-trace-context";
  }

  @Override
  public int order() {
    return ORDER;
  }

  @Override
  public McpHeaders headers(HeaderContext context) {
    String runId = context.runId();
    if (runId.isEmpty()) {
      return McpHeaders.empty();
    }
    McpRequestSpan request = observer.inFlight.get(runId);
    if (request == null
        || !request.isFor(context.mcpMethod().orElse(null), context.toolName().orElse(null))) {
      return McpHeaders.empty();
    }
    Map<String, String> propagated = request.propagated();
    return propagated.isEmpty() ? McpHeaders.empty() : McpHeaders.of(propagated);
  }

  @Override
  public String toString() {
    return "TraceContextHeaders";
  }
}
