package io.github.mcprunner.observe;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of an MCP session once it is open.
 *
 * @param serverName the name of the MCP server
 * @param serverUrl the server's endpoint
 * @param protocolVersion the MCP protocol version negotiated at {@code initialize}, or null
 */
public record McpSessionStart(String serverName, URI serverUrl, @Nullable String protocolVersion) {

  /** Checks that the required parts are not null. */
  public McpSessionStart {
    requireNonNull(serverName, "serverName");
    requireNonNull(serverUrl, "serverUrl");
  }

  /** Returns the negotiated protocol version, when known. */
  public Optional<String> protocol() {
    return Optional.ofNullable(protocolVersion);
  }
}
