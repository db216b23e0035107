package io.github.mcprunner.observe;

/** The observation of one open MCP session, told once when the session is closed. */
public interface McpSessionObservation {

  /** An observation that ignores the close. */
  McpSessionObservation NOOP = () -> {};

  /** Called once, when the runner closed the session (idle, evicted, expired or at close). */
  void sessionClosed();
}
