package io.github.mcprunner.core.spi;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.core.internal.http.JsonRpc;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request a transport is about to send, as far as header resolution cares.
 *
 * @param httpMethod {@code POST}, {@code GET} or {@code DELETE}
 * @param uri the request URI
 * @param mcpMethod the JSON-RPC method of a POSTed request or notification, if known
 * @param toolName the tool of a {@code tools/call}, if known
 */
public record OutgoingRequest(
    String httpMethod, URI uri, @Nullable String mcpMethod, @Nullable String toolName) {
  /**
   * Returns the request POSTing {@code message} to {@code uri}, with its JSON-RPC method and, for a
   * {@code tools/call}, its tool (for transports that build requests from SDK messages themselves,
   * such as a legacy HTTP+SSE transport).
   */
  public static OutgoingRequest post(URI uri, McpSchema.JSONRPCMessage message) {
    return new OutgoingRequest("POST", uri, JsonRpc.method(message), JsonRpc.toolName(message));
  }

  /** Checks the required parts. */
  public OutgoingRequest {
    requireNonNull(httpMethod, "httpMethod");
    requireNonNull(uri, "uri");
  }
}
