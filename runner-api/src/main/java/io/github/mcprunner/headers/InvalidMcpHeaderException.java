package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

/**
 * Thrown when a header name or value is invalid, or a protected protocol header is set, by any
 * layer of the precedence chain. The message names the header and the layer that set it, and
 * <b>never</b> contains the header's value, for example (one line):
 *
 * <pre>
 * Header 'X-Tenant-Id' set by per-run headers has a value that contains a line break (CR or LF);
 * values are never echoed
 * </pre>
 */
public class InvalidMcpHeaderException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String headerName;
  private final String layer;

  /**
   * Creates the exception.
   *
   * @param headerName the offending header's name (printed with unsafe characters escaped)
   * @param layer where the header came from, e.g. {@code "per-run headers"} or {@code "provider
   *     'tenant-lookup' for server 'crm'"}
   * @param problem what is wrong, without the value, e.g. {@code "has a value that contains a line
   *     break"}
   */
  public InvalidMcpHeaderException(String headerName, String layer, String problem) {
    super(
        "Header '"
            + McpHeaders.safeName(requireNonNull(headerName, "headerName"))
            + "' set by "
            + requireNonNull(layer, "layer")
            + " "
            + requireNonNull(problem, "problem")
            + "; values are never echoed");
    this.headerName = headerName;
    this.layer = layer;
  }

  /** Returns the name of the offending header. */
  public String headerName() {
    return headerName;
  }

  /** Returns the layer that set the header, as named in the message. */
  public String layer() {
    return layer;
  }
}
