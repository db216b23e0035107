package io.github.mcprunner.core.internal;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Wraps a session's transport so that cancelling a run reaches the server: for every request of a
 * run still waiting for its response when the run is cancelled, it sends {@code
 * notifications/cancelled} ({@code requestId}, {@code reason}) on the session, with the run's
 * headers like any request of the run (resolved for {@link RunScope#forCancelNotice()}). Ending the
 * request's own HTTP exchange at once is the transport's part (Streamable HTTP's {@code
 * PostExchange} listens to the same cancellation). {@code initialize} is never cancelled (the MCP
 * specification forbids it). Not public API.
 */
final class CancellingTransport extends ForwardingTransport {
  private static final Logger log = LoggerFactory.getLogger(CancellingTransport.class);
  static final String METHOD = "notifications/cancelled";

  private final String serverName;
  // Requests of runs sent and not yet answered, by JSON-RPC id, with their run and cancel
  // registration; a run's entries go when it lets go of the session (forgetRun), answered or not.
  private final Map<Object, Waiting> waiting = new ConcurrentHashMap<>();

  private record Waiting(RunScope run, Runnable registration) {}

  CancellingTransport(McpClientTransport delegate, String serverName) {
    super(delegate);
    this.serverName = serverName;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return super.connect(messages -> handler.apply(messages.doOnNext(this::received)));
  }

  private void received(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCResponse) {
      Object id = ((McpSchema.JSONRPCResponse) message).id();
      Waiting request = id == null ? null : waiting.remove(id);
      if (request != null) {
        request.registration().run();
      }
    }
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest)) {
      return super.sendMessage(message);
    }
    McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) message;
    if (McpSchema.METHOD_INITIALIZE.equals(request.method()) || request.id() == null) {
      return super.sendMessage(message);
    }
    return Mono.deferContextual(
        ctx -> {
          RunScope run =
              RunScope.from(
                  ctx.<McpTransportContext>getOrEmpty(McpTransportContext.KEY)
                      .orElse(McpTransportContext.EMPTY));
          if (run == null || run.isCancelled()) {
            return super.sendMessage(message);
          }
          Object id = request.id();
          waiting.put(id, new Waiting(run, () -> {}));
          Runnable registration = run.onCancel(() -> cancelled(id, run));
          // Registered after the put: replace the placeholder unless cancelled (and removed)
          // meanwhile, or answered.
          if (waiting.replace(id, new Waiting(run, registration)) == null) {
            registration.run();
          }
          return super.sendMessage(message).doOnError(error -> forget(id));
        });
  }

  private void forget(Object id) {
    Waiting request = waiting.remove(id);
    if (request != null) {
      request.registration().run();
    }
  }

  /**
   * Forgets the requests of {@code run} still waiting for an answer, when the run lets go of the
   * session: a request whose answer never came (its timeout passed, the server dropped it: a legacy
   * HTTP+SSE POST is done once accepted) would otherwise stay here, with its run, for as long as
   * the session lives.
   */
  void forgetRun(RunScope run) {
    // The map's entry set removes through its own removeIf, safely under concurrent updates.
    java.util.List<Waiting> forgotten = new java.util.ArrayList<>();
    waiting
        .entrySet()
        .removeIf(
            entry -> {
              Waiting request = entry.getValue();
              if (request.run() != run) {
                return false;
              }
              forgotten.add(request);
              return true;
            });
    forgotten.forEach(request -> request.registration().run());
  }

  /** Returns the number of requests waiting for an answer (for tests). */
  int waitingRequests() {
    return waiting.size();
  }

  /** The run was cancelled while request {@code id} waited for its response: tell the server. */
  private void cancelled(Object id, RunScope run) {
    if (waiting.remove(id) == null) {
      return;
    }
    McpSchema.JSONRPCNotification notice =
        new McpSchema.JSONRPCNotification(
            McpSchema.JSONRPC_VERSION,
            METHOD,
            Map.of("requestId", id, "reason", "The run was cancelled by its caller"));
    McpTransportContext context = run.forCancelNotice().transportContext();
    super.sendMessage(notice)
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
        // Header providers may block; never on the cancelling thread.
        .subscribeOn(Schedulers.boundedElastic())
        .subscribe(
            ignored -> {},
            error ->
                log.debug(
                    "Telling MCP server '{}' that a request was cancelled failed ({})",
                    serverName,
                    error.getClass().getSimpleName()));
  }

  @Override
  public Mono<Void> closeGracefully() {
    waiting.clear();
    return super.closeGracefully();
  }
}
