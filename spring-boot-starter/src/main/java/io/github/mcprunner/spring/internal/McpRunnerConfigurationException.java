package io.github.mcprunner.spring.internal;

/**
 * A {@code mcp-runner.*} property (or a provider setting) holds a value the starter cannot use. The
 * message names the property and what is wrong, never the value. Not public API.
 */
public final class McpRunnerConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code property}; {@code problem} must hold no value. */
  public McpRunnerConfigurationException(String property, String problem) {
    super("Property '" + property + "' " + problem + "; values are never echoed");
  }

  /** Creates the exception with a message of the caller's; it must hold no value. */
  public McpRunnerConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
