package io.github.mcprunner.observe;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of an MCP request before it is sent.
 *
 * @param serverName the name of the MCP server ({@code McpServerSpec.name()})
 * @param serverUrl the server's endpoint
 * @param method the JSON-RPC method: {@code initialize}, {@code tools/list}, {@code tools/call}
 * @param toolName the tool of a {@code tools/call}, else null
 * @param protocolVersion the MCP protocol version negotiated with the server, or null before it is
 *     known (for {@code initialize})
 */
public record McpRequestStart(
    String serverName,
    URI serverUrl,
    String method,
    @Nullable String toolName,
    @Nullable String protocolVersion) {

  /** Checks that the required parts are not null. */
  public McpRequestStart {
    requireNonNull(serverName, "serverName");
    requireNonNull(serverUrl, "serverUrl");
    requireNonNull(method, "method");
  }

  /** Returns the tool of a {@code tools/call}. */
  public Optional<String> tool() {
    return Optional.ofNullable(toolName);
  }

  /** Returns the negotiated protocol version, when known. */
  public Optional<String> protocol() {
    return Optional.ofNullable(protocolVersion);
  }
}
