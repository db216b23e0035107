package io.github.mcprunner.testkit;

/** A tool of the embedded server: name, description, JSON schema of its input, and its code. */
record ToolSpec(String name, String description, String inputSchemaJson, ToolHandler handler) {}
