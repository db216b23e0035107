package io.github.mcprunner.observe;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of an MCP session once it is open.
 *
 * <p>{@link #toString()} prints the URL as {@link McpServerRef#printable(URI)} does (the values of
 * its query redacted); {@link #serverUrl()} is the URL as configured.
 *
 * @param serverName the name of the MCP server
 * @param serverUrl the server's endpoint as configured (query included)
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

  /** Prints every part, the URL's query values redacted ({@link McpServerRef#printable(URI)}). */
  @Override
  public String toString() {
    return "McpSessionStart[serverName="
        + serverName
        + ", serverUrl="
        + McpServerRef.printable(serverUrl)
        + ", protocolVersion="
        + protocolVersion
        + "]";
  }
}
