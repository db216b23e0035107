package io.github.mcprunner.core.internal;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Wraps a session's transport, when the runner has observers, to tell the observation of each
 * request (carried in the Reactor context) the JSON-RPC id the MCP SDK gave it. Not public API.
 */
final class ObservationTransport implements McpClientTransport {
  private final McpClientTransport delegate;

  ObservationTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest)) {
      return delegate.sendMessage(message);
    }
    Object id = ((McpSchema.JSONRPCRequest) message).id();
    return Mono.deferContextual(
        ctx -> {
          Object request = ctx.getOrDefault(Observation.REQUEST_KEY, null);
          if (request instanceof ObservationRequest && id != null) {
            ((ObservationRequest) request).sent(id);
          }
          return delegate.sendMessage(message);
        });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }
}
