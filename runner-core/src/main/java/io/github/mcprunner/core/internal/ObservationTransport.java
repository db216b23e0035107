package io.github.mcprunner.core.internal;

import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Wraps a session's transport, when the runner has observers, to tell the observation of each
 * request (carried in the Reactor context) the JSON-RPC id the MCP SDK gave it. Not public API.
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
    Object id = ((McpSchema.JSONRPCRequest) message).id();
    return Mono.deferContextual(
        ctx -> {
          Object request = ctx.getOrDefault(Observation.REQUEST_KEY, null);
          if (request instanceof ObservationRequest && id != null) {
            ((ObservationRequest) request).sent(id);
          }
          return super.sendMessage(message);
        });
  }
}
