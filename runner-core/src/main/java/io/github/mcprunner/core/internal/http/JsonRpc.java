package io.github.mcprunner.core.internal.http;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What header resolution wants to know of an outgoing JSON-RPC message. Not public API. */
public final class JsonRpc {
  private JsonRpc() {}

  public static @Nullable String method(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest) {
      return ((McpSchema.JSONRPCRequest) message).method();
    }
    if (message instanceof McpSchema.JSONRPCNotification) {
      return ((McpSchema.JSONRPCNotification) message).method();
    }
    return null;
  }

  public static @Nullable String toolName(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest)) {
      return null;
    }
    McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) message;
    if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
      return null;
    }
    Object params = request.params();
    if (params instanceof McpSchema.CallToolRequest) {
      return ((McpSchema.CallToolRequest) params).name();
    }
    if (params instanceof VerbatimToolCall) {
      return ((VerbatimToolCall) params).name();
    }
    if (params instanceof Map) {
      Object name = ((Map<?, ?>) params).get("name");
      return name instanceof String ? (String) name : null;
    }
    return null;
  }

  public static @Nullable Object requestId(McpSchema.JSONRPCMessage message) {
    return message instanceof McpSchema.JSONRPCRequest
        ? ((McpSchema.JSONRPCRequest) message).id()
        : null;
  }
}
