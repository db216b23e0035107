package io.github.mcprunner.transport.httpclient.internal;

import io.github.mcprunner.core.spi.TransportHttpException;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Wraps an SDK transport so that an HTTP authorization failure surfaces as the runner's {@link
 * TransportHttpException}: the SDK's own exception carries a request snapshot whose text prints
 * every request header, credentials included, so it must not travel further. Not public API.
 */
public final class StatusMappingTransport implements McpClientTransport {
  private final McpClientTransport delegate;

  public StatusMappingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler).onErrorMap(StatusMappingTransport::map);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return delegate.sendMessage(message).onErrorMap(StatusMappingTransport::map);
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
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  private static Throwable map(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof McpHttpClientTransportAuthorizationException) {
        McpHttpClientTransportAuthorizationException auth =
            (McpHttpClientTransportAuthorizationException) t;
        var info = auth.getResponseInfo();
        int status = info == null ? 401 : info.statusCode();
        String www =
            info == null ? null : info.headers().firstValue("WWW-Authenticate").orElse(null);
        String method =
            auth.getRequestSnapshot() == null ? "request" : auth.getRequestSnapshot().method();
        return new TransportHttpException(status, method, www, null);
      }
    }
    return error;
  }
}
