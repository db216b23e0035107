package io.github.mcprunner.core.internal;

import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Wraps a transport to notice that the server forgot the session (HTTP 404): the SDK then fails the
 * pending calls with a bare "session terminated" error that says nothing of why, so the runner asks
 * this wrapper instead, and re-opens the session. Not public API.
 */
final class SessionTrackingTransport extends ForwardingTransport {
  private volatile boolean sessionLost;

  SessionTrackingTransport(McpClientTransport delegate) {
    super(delegate);
  }

  /** Returns whether the server reported this session as gone. */
  boolean sessionLost() {
    return sessionLost;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return super.connect(handler).doOnError(this::notice);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    super.setExceptionHandler(
        error -> {
          notice(error);
          handler.accept(error);
        });
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return super.sendMessage(message).doOnError(this::notice);
  }

  private void notice(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof McpTransportSessionNotFoundException
          || t instanceof io.github.mcprunner.core.spi.TransportHttpException
              && ((io.github.mcprunner.core.spi.TransportHttpException) t).statusCode() == 404) {
        sessionLost = true;
        return;
      }
    }
  }
}
