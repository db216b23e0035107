package io.github.mcprunner;

/**
 * How runs share MCP sessions with a server. Headers are resolved for every HTTP request under
 * every strategy; the strategy decides which MCP session (and so which {@code Mcp-Session-Id}) a
 * run's requests use.
 *
 * <p>Strategies apply to the session protocol (MCP 2025-11-25 and older) only. A server the runner
 * speaks MCP 2026-07-28 with ({@link McpProtocol#STATELESS}, or found so by {@link
 * McpProtocol#AUTO}) has no session: there is nothing to pool, and no strategy opens anything
 * there; every request is one POST with its run's headers.
 */
public enum SessionStrategy {
  /**
   * One session per identity (the default): runs of the same identity ({@link
   * RunOptions.Builder#identity(String)}, or derived from the run's identity-bearing headers and
   * context) share a pooled session; a session opened with one identity's credentials never serves
   * another identity. Right for servers that bind a session to the user who initialised it.
   */
  PER_IDENTITY,
  /**
   * One session per server for all runs, opened with neutral headers (runner defaults, static
   * headers, providers without run context); each request still carries its run's headers. Only for
   * servers that do not bind sessions to users.
   */
  SHARED,
  /**
   * A new session for every run, closed when the run ends: initialize, list, call, DELETE each
   * time. The slow baseline; use it only when a server needs it.
   */
  PER_RUN
}
