package io.github.mcprunner.core.internal;

import io.github.mcprunner.core.internal.http.VerbatimToolCall;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Wraps a session's transport so that a {@code tools/call} goes out with its arguments as the
 * caller wrote them: the MCP SDK client only takes arguments as a map, which it would write again.
 * The call's {@link VerbatimToolCall} rides in the Reactor context ({@link
 * VerbatimToolCall#CONTEXT_KEY}); a {@code tools/call} without one (or for another tool) is sent as
 * the SDK built it. Not public API.
 */
final class VerbatimArgumentsTransport extends ForwardingTransport {

  VerbatimArgumentsTransport(McpClientTransport delegate) {
    super(delegate);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest)) {
      return super.sendMessage(message);
    }
    McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) message;
    if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method())
        || !(request.params() instanceof McpSchema.CallToolRequest)) {
      return super.sendMessage(message);
    }
    McpSchema.CallToolRequest call = (McpSchema.CallToolRequest) request.params();
    return Mono.deferContextual(
        ctx -> {
          Object verbatim = ctx.getOrDefault(VerbatimToolCall.CONTEXT_KEY, null);
          if (!(verbatim instanceof VerbatimToolCall)
              || !((VerbatimToolCall) verbatim).name().equals(call.name())) {
            return super.sendMessage(message);
          }
          VerbatimToolCall params =
              new VerbatimToolCall(
                  call.name(), ((VerbatimToolCall) verbatim).arguments(), call.meta());
          return super.sendMessage(
              new McpSchema.JSONRPCRequest(
                  request.jsonrpc(), request.method(), request.id(), params));
        });
  }
}
