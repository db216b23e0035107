package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestHeaderSource} of one MCP session: resolves the chain for the run the request's
 * context carries, or, for a request sent without a run context (initialize, DELETE on close, the
 * GET stream), for the session's own scope — the latest run of the session's identity, or the
 * neutral scope of a shared session. Not public API.
 */
final class SessionHeaderSource implements RequestHeaderSource {
  private static final Logger log = LoggerFactory.getLogger(SessionHeaderSource.class);

  private final HeaderChain chain;
  private final McpServerSpec server;
  private volatile RunScope sessionScope;

  SessionHeaderSource(HeaderChain chain, McpServerSpec server, RunScope sessionScope) {
    this.chain = chain;
    this.server = server;
    this.sessionScope = sessionScope;
  }

  /** Makes {@code scope} the one used for requests without a run context. */
  void updateSessionScope(RunScope scope) {
    this.sessionScope = scope;
  }

  RunScope scopeOf(McpTransportContext context) {
    RunRequestState state = RunRequestState.from(context);
    return state != null ? state.scope() : sessionScope;
  }

  @Override
  public McpHeaders headersFor(OutgoingRequest request, McpTransportContext context) {
    RunRequestState state = RunRequestState.from(context);
    if (state != null) {
      state.checkNotCancelled();
    }
    RunScope scope = state != null ? state.scope() : sessionScope;
    return chain
        .resolve(
            new HeaderRequest(
                server.ref(), server.headers(), scope, request.mcpMethod(), request.toolName()))
        .headers();
  }

  /**
   * Asks the providers that contribute to requests of {@code scope} whether a retry after a 401 may
   * succeed (each may drop a cached token); true when at least one says so.
   */
  boolean onUnauthorized(
      RunScope scope, @Nullable String mcpMethod, @Nullable String toolName, @Nullable String www) {
    ResolvedHeaders resolved;
    try {
      resolved =
          chain.resolve(new HeaderRequest(server.ref(), server.headers(), scope, mcpMethod, toolName));
    } catch (RuntimeException e) {
      return false;
    }
    HeaderContext context = contextFor(scope, mcpMethod, toolName, resolved.headers());
    boolean retry = false;
    for (McpHeaderProvider provider : resolved.contributors()) {
      try {
        retry |= provider.onUnauthorized(context, www);
      } catch (RuntimeException e) {
        log.warn(
            "Header provider '{}' failed in onUnauthorized for server '{}' ({})",
            provider.name(),
            server.name(),
            e.getClass().getSimpleName());
      }
    }
    return retry;
  }

  private HeaderContext contextFor(
      RunScope scope, @Nullable String mcpMethod, @Nullable String toolName, McpHeaders resolved) {
    HeaderContext.Builder builder =
        HeaderContext.builder(server.ref())
            .agentName(scope.agentName())
            .runId(scope.runId())
            .identity(scope.identity().orElse(null))
            .mcpMethod(mcpMethod)
            .toolName(toolName)
            .resolvedSoFar(resolved);
    for (Map.Entry<ContextKey<?>, Object> entry : scope.contextValues().entrySet()) {
      put(builder, entry.getKey(), entry.getValue());
    }
    return builder.build();
  }

  private static <T> void put(HeaderContext.Builder builder, ContextKey<T> key, Object value) {
    builder.put(key, key.type().cast(value));
  }
}
