package io.github.mcprunner.core.internal;

import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.core.internal.http.StatelessHttpClient;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.observe.McpRequestObservation;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The observations of one MCP request, told its JSON-RPC id once and its outcome once, whatever
 * thread reports them: a request of a session (through the Reactor context) or one stateless
 * request (MCP 2026-07-28, as the {@link StatelessHttpClient.RequestObserver} of its POST). Not
 * public API.
 */
final class ObservationRequest implements StatelessHttpClient.RequestObserver {
  private final McpRequestObservation[] observations;
  private final AtomicBoolean sent = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();

  ObservationRequest(McpRequestObservation[] observations) {
    this.observations = observations;
  }

  /** The {@code _meta} entries of every observation; the first observer wins a clash. */
  @Override
  public Map<String, String> meta() {
    if (observations.length == 1) {
      return safeMeta(observations[0]);
    }
    Map<String, String> all = new HashMap<>();
    for (McpRequestObservation observation : observations) {
      safeMeta(observation).forEach(all::putIfAbsent);
    }
    return all;
  }

  private static Map<String, String> safeMeta(McpRequestObservation observation) {
    try {
      Map<String, String> meta = observation.meta();
      return meta == null ? Map.of() : meta;
    } catch (RuntimeException e) {
      Observation.failed("meta", e);
      return Map.of();
    }
  }

  /** The request's first JSON-RPC message left (later pages of a listing are not reported). */
  void sent(Object jsonRpcId) {
    if (!sent.compareAndSet(false, true)) {
      return;
    }
    String id = String.valueOf(jsonRpcId);
    for (McpRequestObservation observation : observations) {
      try {
        observation.requestSent(id);
      } catch (RuntimeException e) {
        Observation.failed("requestSent", e);
      }
    }
  }

  void succeeded(@Nullable Object result) {
    requestSucceeded(
        result instanceof McpSchema.CallToolResult
            && Boolean.TRUE.equals(((McpSchema.CallToolResult) result).isError()));
  }

  // ---- a stateless request (MCP 2026-07-28)

  @Override
  public void requestSent(Object jsonRpcId) {
    sent(jsonRpcId);
  }

  @Override
  public void requestSucceeded(boolean toolError) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    for (McpRequestObservation observation : observations) {
      try {
        observation.requestSucceeded(toolError);
      } catch (RuntimeException e) {
        Observation.failed("requestSucceeded", e);
      }
    }
  }

  @Override
  public void requestFailed(Throwable error) {
    Throwable cause = StatelessServer.unwrap(error);
    if (cause instanceof CancellationException || cause instanceof RunCancelledException) {
      cancelled();
    } else {
      failed(cause);
    }
  }

  void failed(Throwable error) {
    Integer code = null;
    String type = null;
    for (Throwable t = error; t != null && type == null; t = t.getCause()) {
      if (t instanceof McpError && ((McpError) t).getJsonRpcError() != null) {
        code = ((McpError) t).getJsonRpcError().code();
        type = Integer.toString(code);
      } else if (t instanceof StatelessHttpClient.RpcError) {
        code = ((StatelessHttpClient.RpcError) t).code();
        type = Integer.toString(code);
      } else if (t instanceof TransportHttpException) {
        type = Integer.toString(((TransportHttpException) t).statusCode());
      } else if (t instanceof McpHttpClientTransportAuthorizationException) {
        type =
            Integer.toString(
                ((McpHttpClientTransportAuthorizationException) t).getResponseInfo().statusCode());
      } else if (t instanceof McpTransportSessionNotFoundException) {
        type = "404";
      } else if (t instanceof TimeoutException) {
        type = "timeout";
      }
    }
    end(type == null ? error.getClass().getName() : type, code);
  }

  void cancelled() {
    end("cancelled", null);
  }

  private void end(String errorType, @Nullable Integer code) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    for (McpRequestObservation observation : observations) {
      try {
        observation.requestFailed(errorType, code);
      } catch (RuntimeException e) {
        Observation.failed("requestFailed", e);
      }
    }
  }
}
