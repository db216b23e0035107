package io.github.mcprunner.observe;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of an MCP request before it is sent.
 *
 * <p>On a server that speaks MCP 2026-07-28 (stateless) each request is observed on its own: each
 * round of a multi round-trip call ({@code input_required}) and a request re-issued after its
 * response stream broke are requests of their own; {@code protocolVersion} is {@code 2026-07-28}
 * and {@code sessionId} null. The protocol probe of {@code McpProtocol.AUTO} ({@code
 * server/discover}) is not observed.
 *
 * <p>{@link #toString()} prints the URL as {@link McpServerRef#printable(URI)} does (the values of
 * its query redacted); {@link #serverUrl()} is the URL as configured, so an observer that records
 * or logs it should print it the same way.
 *
 * @param serverName the name of the MCP server ({@code McpServerSpec.name()})
 * @param serverUrl the server's endpoint as configured (query included)
 * @param method the JSON-RPC method: {@code initialize}, {@code tools/list}, {@code tools/call}
 * @param toolName the tool of a {@code tools/call}, else null
 * @param protocolVersion the MCP protocol version negotiated with the server, or null before it is
 *     known (for {@code initialize})
 * @param sessionId the {@code Mcp-Session-Id} the server gave the session the request is sent on,
 *     or null (before {@code initialize} answered, a server that gives none, a legacy HTTP+SSE or
 *     custom transport that does not tell it). An id, not a credential: a server must not make it
 *     one, but an observer that distrusts a server may leave it out
 */
public record McpRequestStart(
    String serverName,
    URI serverUrl,
    String method,
    @Nullable String toolName,
    @Nullable String protocolVersion,
    @Nullable String sessionId) {

  /** Checks that the required parts are not null. */
  public McpRequestStart {
    requireNonNull(serverName, "serverName");
    requireNonNull(serverUrl, "serverUrl");
    requireNonNull(method, "method");
  }

  /** Returns what is known of a request sent on no known session. */
  public McpRequestStart(
      String serverName,
      URI serverUrl,
      String method,
      @Nullable String toolName,
      @Nullable String protocolVersion) {
    this(serverName, serverUrl, method, toolName, protocolVersion, null);
  }

  /** Returns the tool of a {@code tools/call}. */
  public Optional<String> tool() {
    return Optional.ofNullable(toolName);
  }

  /** Returns the negotiated protocol version, when known. */
  public Optional<String> protocol() {
    return Optional.ofNullable(protocolVersion);
  }

  /** Returns the session's {@code Mcp-Session-Id}, when known. */
  public Optional<String> session() {
    return Optional.ofNullable(sessionId);
  }

  /** Prints every part, the URL's query values redacted ({@link McpServerRef#printable(URI)}). */
  @Override
  public String toString() {
    return "McpRequestStart[serverName="
        + serverName
        + ", serverUrl="
        + McpServerRef.printable(serverUrl)
        + ", method="
        + method
        + ", toolName="
        + toolName
        + ", protocolVersion="
        + protocolVersion
        + ", sessionId="
        + sessionId
        + "]";
  }
}
