package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A header provider failed (threw, or returned a protected or invalid header) while headers were
 * resolved for a request to an MCP server. The request was not sent. The message names the provider
 * and the server, never a header value.
 */
public class HeaderProviderException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  private final String providerName;
  private final String serverName;

  /**
   * Creates the exception.
   *
   * @param providerName the provider's {@code name()}
   * @param serverName the MCP server the request was for
   * @param problem what went wrong, without any secret (e.g. {@code "threw IOException"})
   * @param cause the provider's exception, if any
   */
  public HeaderProviderException(
      String providerName, String serverName, String problem, @Nullable Throwable cause) {
    super(
        "Header provider '"
            + requireNonNull(providerName, "providerName")
            + "' failed for server '"
            + requireNonNull(serverName, "serverName")
            + "': "
            + requireNonNull(problem, "problem")
            + "; the request was not sent",
        cause);
    this.providerName = providerName;
    this.serverName = serverName;
  }

  /** Returns the name of the provider that failed. */
  public String providerName() {
    return providerName;
  }

  /** Returns the name of the MCP server the request was for. */
  public String serverName() {
    return serverName;
  }
}
