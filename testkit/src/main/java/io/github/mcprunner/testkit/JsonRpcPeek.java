package io.github.mcprunner.testkit;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-RPC method, id and tool name of a POST body; all null when the body is no JSON-RPC
 * message. For a batch (array), those of its first message.
 */
record JsonRpcPeek(@Nullable String method, @Nullable String id, @Nullable String toolName) {

  static final JsonRpcPeek NONE = new JsonRpcPeek(null, null, null);

  static JsonRpcPeek of(McpJsonMapper mapper, String body) {
    if (body.isBlank()) {
      return NONE;
    }
    Object parsed;
    try {
      parsed = mapper.readValue(body, Object.class);
    } catch (Exception notJson) {
      return NONE;
    }
    if (parsed instanceof List<?> batch) {
      parsed = batch.isEmpty() ? null : batch.get(0);
    }
    if (!(parsed instanceof Map<?, ?> message)) {
      return NONE;
    }
    String method = message.get("method") instanceof String m ? m : null;
    Object rawId = message.get("id");
    String id = rawId == null ? null : String.valueOf(rawId);
    String toolName = null;
    if ("tools/call".equals(method) && message.get("params") instanceof Map<?, ?> params) {
      toolName = params.get("name") instanceof String name ? name : null;
    }
    return new JsonRpcPeek(method, id, toolName);
  }
}
