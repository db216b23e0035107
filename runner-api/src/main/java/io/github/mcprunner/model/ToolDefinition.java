package io.github.mcprunner.model;

import static java.util.Objects.requireNonNull;

/**
 * A tool the model may call: an MCP server's tool or a local function tool.
 *
 * @param name the name the model calls it by (unique within a run)
 * @param description what the tool does, for the model
 * @param inputSchemaJson the JSON schema of the tool's arguments, as JSON text, passed through
 *     unchanged from the MCP server
 */
public record ToolDefinition(String name, String description, String inputSchemaJson) {
  /** Checks that no part is null. */
  public ToolDefinition {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(inputSchemaJson, "inputSchemaJson");
  }
}
