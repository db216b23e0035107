package io.github.mcprunner.spring;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.McpServerSpec;
import java.util.List;

/**
 * The MCP servers of the starter's toolbox, as built from the {@code mcp-runner.servers.*}
 * properties (or given by an application's own bean of this type).
 *
 * @param specs the servers, in the order the properties list them
 */
public record ConfiguredMcpServers(List<McpServerSpec> specs) {
  /** Copies the list. */
  public ConfiguredMcpServers {
    specs = List.copyOf(requireNonNull(specs, "specs"));
  }
}
