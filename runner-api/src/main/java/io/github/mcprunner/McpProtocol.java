package io.github.mcprunner;

/**
 * Which revision of the MCP protocol the runner speaks with a Streamable HTTP server ({@link
 * McpServerSpec.Builder#protocol(McpProtocol)}). Either way every HTTP request carries the run's
 * resolved headers; legacy HTTP+SSE servers ({@link TransportKind#SSE}) always speak the session
 * protocol of 2024-11-05.
 */
public enum McpProtocol {
  /**
   * The default: the first run that uses the server sends a 2026-07-28 request ({@code
   * server/discover}) with its full header chain; a result, or an error the 2026-07-28 revision
   * defines, selects {@link #STATELESS}; any other answer to it ({@code 400}, {@code 404}, {@code
   * 405} without such an error) selects {@link #SESSIONS}, as the revision's backward-compatibility
   * rules say. The outcome is remembered per server, and decided again after the server refuses the
   * protocol version or the session protocol fails to open.
   */
  AUTO,

  /**
   * MCP 2026-07-28 only: one POST per request, no {@code initialize}, no session, no GET stream;
   * the protocol version, client capabilities and client info travel in every request's {@code
   * _meta}. Session strategies have nothing to pool on such a server and open nothing.
   */
  STATELESS,

  /**
   * MCP 2025-11-25 and older: an {@code initialize} handshake opens a session ({@code
   * Mcp-Session-Id}), pooled as the server's {@link SessionStrategy} says.
   */
  SESSIONS
}
