package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Identifies an MCP server to a header provider: its configured name and its endpoint URI.
 *
 * @param name the server's name, unique within an agent (e.g. {@code "crm"})
 * @param uri the server's MCP endpoint (e.g. {@code https://crm.example.com/mcp})
 */
public record McpServerRef(String name, URI uri) {
  /** Creates a reference, checking neither part is null. */
  public McpServerRef {
    requireNonNull(name, "name");
    requireNonNull(uri, "uri");
  }

  /** Returns a reference to server {@code name} at {@code uri}. */
  public static McpServerRef of(String name, String uri) {
    return new McpServerRef(name, URI.create(requireNonNull(uri, "uri")));
  }
}
