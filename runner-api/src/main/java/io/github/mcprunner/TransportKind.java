package io.github.mcprunner;

/** The MCP HTTP transport protocol a server speaks. */
public enum TransportKind {
  /** Streamable HTTP (MCP 2025-03-26 and later): one endpoint, POST plus an optional GET stream. */
  STREAMABLE_HTTP,
  /** The legacy HTTP+SSE transport (MCP 2024-11-05): a GET event stream and a POST endpoint. */
  SSE
}
