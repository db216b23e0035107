package io.github.mcprunner.core.internal;

import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Wraps a session's transport, when the runner has observers, to tell the observation of each
 * request (carried in the Reactor context) the JSON-RPC id the MCP SDK gave it, and to put the
 * observation's {@code _meta} entries (trace context) on {@code initialize}. Not public API.
 */
final class ObservationTransport extends ForwardingTransport {

  ObservationTransport(McpClientTransport delegate) {
    super(delegate);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest)) {
      return super.sendMessage(message);
    }
    McpSchema.JSONRPCRequest jsonRpc = (McpSchema.JSONRPCRequest) message;
    Object id = jsonRpc.id();
    return Mono.deferContextual(
        ctx -> {
          Object request = ctx.getOrDefault(Observation.REQUEST_KEY, null);
          if (!(request instanceof ObservationRequest)) {
            return super.sendMessage(message);
          }
          ObservationRequest observed = (ObservationRequest) request;
          if (id != null) {
            observed.sent(id);
          }
          return super.sendMessage(withMeta(jsonRpc, observed));
        });
  }

  /**
   * Adds the observation's {@code _meta} entries to an {@code initialize}, which the MCP SDK builds
   * itself (the runner adds them to {@code tools/list} and {@code tools/call} as it builds those).
   */
  private static McpSchema.JSONRPCRequest withMeta(
      McpSchema.JSONRPCRequest request, ObservationRequest observed) {
    if (!McpSchema.METHOD_INITIALIZE.equals(request.method())
        || !(request.params() instanceof McpSchema.InitializeRequest)) {
      return request;
    }
    McpSchema.InitializeRequest params = (McpSchema.InitializeRequest) request.params();
    Map<String, Object> meta = Observation.meta(observed, params.meta());
    if (meta == null || meta == params.meta()) {
      return request;
    }
    return new McpSchema.JSONRPCRequest(
        request.jsonrpc(),
        request.method(),
        request.id(),
        new McpSchema.InitializeRequest(
            params.protocolVersion(), params.capabilities(), params.clientInfo(), meta));
  }
}
