package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;
import java.time.Duration;

/**
 * The {@link RequestHeaderSource} of one MCP session: resolves the chain for the run the request's
 * context carries, or, for a request sent without a run context (initialize, DELETE on close, the
 * GET stream), for the session's own scope — the latest run of the session's identity, or the
 * neutral scope of a shared session. Not public API.
 */
final class SessionHeaderSource implements RequestHeaderSource {
  private final HeaderChain chain;
  private final McpServerSpec server;
  private volatile RunScope sessionScope;
  private volatile boolean open;

  SessionHeaderSource(HeaderChain chain, McpServerSpec server, RunScope sessionScope) {
    this.chain = chain;
    this.server = server;
    this.sessionScope = sessionScope;
  }

  /** Notes that the session's handshake is done: its own requests no longer serve one run. */
  void opened() {
    open = true;
  }

  /** Makes {@code scope} the one used for requests without a run context. */
  void updateSessionScope(RunScope scope) {
    this.sessionScope = scope;
  }

  @Override
  public McpHeaders headersFor(OutgoingRequest request, McpTransportContext context) {
    RunScope run = RunScope.from(context);
    if (run != null) {
      run.checkNotCancelled();
    }
    RunScope scope = run != null ? run : sessionScope;
    // Every provider call runs under the request's deadline and the run's cancellation (on this
    // thread, watched): a provider that hangs fails the request naming it, whatever the transport.
    Duration timeout =
        "initialize".equals(request.mcpMethod())
            ? server.initializeTimeout()
            : server.requestTimeout();
    // The session's own requests once it is open (GET stream, DELETE) borrow the headers of its
    // identity's latest run, which may have been cancelled since: they serve the session, which
    // outlives that run, so its cancellation does not stop them. A run's own requests, and the
    // handshake of the run opening the session, stop with the run.
    boolean followsRunCancel = run != null || !open;
    return chain
        .resolve(
            new HeaderRequest(
                server.ref(), server.headers(), scope, request.mcpMethod(), request.toolName()),
            timeout,
            followsRunCancel)
        .headers();
  }
}
