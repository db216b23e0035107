package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.ToolDefinition;

/**
 * A tool of an MCP server, as a {@link ToolboxRun} lists it.
 *
 * @param serverName the name of the {@link McpServerSpec} that offers it
 * @param definition the tool's name, description and input schema, as the server lists it
 */
public record McpTool(String serverName, ToolDefinition definition) {
  /** Checks that no part is null. */
  public McpTool {
    requireNonNull(serverName, "serverName");
    requireNonNull(definition, "definition");
  }

  /** Returns the tool's name, unique within a run. */
  public String name() {
    return definition.name();
  }
}
