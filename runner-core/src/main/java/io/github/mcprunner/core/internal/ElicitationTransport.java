package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Takes a server's {@code elicitation/create} requests before the MCP SDK sees them and routes each
 * to the run it belongs to ({@link Elicitation}).
 *
 * <p>The SDK's own elicitation handler receives the question without the request it relates to, so
 * it cannot tell runs apart; here, a question that arrives on the answer stream of a run's POST
 * carries that POST's Reactor context, hence its {@link RunScope}. That is the correlation. A
 * question without one (the standalone GET stream, legacy SSE) goes to the session's only run when
 * the session serves one identity and exactly one run holds it, and is declined otherwise (always
 * under {@code SHARED}: it might reach another user). The answer goes back with the run's own
 * context, so the run's headers carry it. Not public API.
 */
final class ElicitationTransport extends ForwardingTransport {
  private static final Logger log = LoggerFactory.getLogger(ElicitationTransport.class);
  private static final String METHOD = "elicitation/create";
  private static final TypeRef<Map<String, Object>> PARAMS = new TypeRef<>() {};
  private static final int INVALID_PARAMS = -32602;

  private final McpServerSpec server;
  private final McpJsonMapper json;
  private final Supplier<@Nullable RunScope> uncorrelated;

  /**
   * @param uncorrelated returns the run a question without correlation goes to, or null to decline
   *     it
   */
  ElicitationTransport(
      McpClientTransport delegate,
      McpServerSpec server,
      McpJsonMapper json,
      Supplier<@Nullable RunScope> uncorrelated) {
    super(delegate);
    this.server = server;
    this.json = json;
    this.uncorrelated = uncorrelated;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return super.connect(
        incoming ->
            incoming.flatMap(
                message ->
                    Mono.deferContextual(
                        ctx -> {
                          if (message instanceof McpSchema.JSONRPCRequest
                              && METHOD.equals(((McpSchema.JSONRPCRequest) message).method())) {
                            route((McpSchema.JSONRPCRequest) message, ctx);
                            return Mono.empty();
                          }
                          return handler.apply(Mono.just(message));
                        })));
  }

  private void route(McpSchema.JSONRPCRequest request, ContextView ctx) {
    RunScope run = correlated(ctx);
    if (run == null) {
      run = uncorrelated.get();
    }
    if (run == null) {
      log.debug("A question of MCP server '{}' relates to no single run: declined", server.name());
      respond(McpSchema.JSONRPCResponse.result(request.id(), Elicitation.declined()), null);
      return;
    }
    RunScope target = run;
    Map<String, Object> params;
    try {
      params = request.params() == null ? Map.of() : unmarshalFrom(request.params(), PARAMS);
    } catch (RuntimeException e) {
      respond(error(request, "elicitation/create params are not an object"), target);
      return;
    }
    CompletionStage<Map<String, Object>> answer;
    try {
      answer = Elicitation.answer(server, target, params, json);
    } catch (RuntimeException e) {
      answer = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (result, failure) -> {
          if (failure == null) {
            respond(McpSchema.JSONRPCResponse.result(request.id(), result), target);
          } else {
            Throwable cause =
                failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            String why =
                cause instanceof Elicitation.RefusedQuestion
                    ? "the client refused the question: the server " + cause.getMessage()
                    : "the client could not ask the question";
            respond(error(request, why), target);
          }
        });
  }

  private static McpSchema.JSONRPCResponse error(McpSchema.JSONRPCRequest request, String why) {
    return McpSchema.JSONRPCResponse.error(
        request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(INVALID_PARAMS, why, null));
  }

  /** The run whose POST the question arrived on, or null. */
  private static @Nullable RunScope correlated(ContextView ctx) {
    Object context = ctx.getOrDefault(McpTransportContext.KEY, null);
    if (!(context instanceof McpTransportContext)) {
      return null;
    }
    RunScope scope = RunScope.from((McpTransportContext) context);
    return scope == null || scope.runId().isEmpty() ? null : scope;
  }

  private void respond(McpSchema.JSONRPCResponse response, @Nullable RunScope run) {
    McpTransportContext context =
        run != null && !run.isCancelled() ? run.transportContext() : McpTransportContext.EMPTY;
    sendMessage(response)
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
        .subscribe(
            ignored -> {},
            error ->
                log.debug(
                    "Answering a question of MCP server '{}' failed ({})",
                    server.name(),
                    error.getClass().getSimpleName()));
  }
}
