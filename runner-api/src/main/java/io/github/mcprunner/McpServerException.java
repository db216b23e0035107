package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server could not be reached, timed out, refused a request or answered with an error. The
 * message names the server and its URL, with the query's values redacted ({@link
 * McpServerRef#printable(URI)}), and never holds a header value.
 */
public class McpServerException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  private final String serverName;
  private final URI serverUrl;

  /**
   * Creates the exception.
   *
   * @param serverName the server's name
   * @param serverUrl the server's URL
   * @param problem what went wrong, e.g. {@code "could not be reached (connection refused)"}
   * @param cause the underlying failure, if any
   */
  public McpServerException(
      String serverName, URI serverUrl, String problem, @Nullable Throwable cause) {
    super(
        "MCP server '"
            + requireNonNull(serverName, "serverName")
            + "' at "
            + McpServerRef.printable(requireNonNull(serverUrl, "serverUrl"))
            + " "
            + requireNonNull(problem, "problem"),
        cause);
    this.serverName = serverName;
    this.serverUrl = serverUrl;
  }

  /** Returns the server's name. */
  public String serverName() {
    return serverName;
  }

  /**
   * Returns the server's URL as configured (query included: print it with {@link
   * McpServerRef#printable(URI)}).
   */
  public URI serverUrl() {
    return serverUrl;
  }
}
