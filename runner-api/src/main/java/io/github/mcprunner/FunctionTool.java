package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.ToolDefinition;

/**
 * A tool implemented in the application's own code, offered to the model beside the MCP servers'
 * tools.
 *
 * <pre>{@code
 * FunctionTool clock = FunctionTool.of("now", "Current time in UTC",
 *     "{\"type\":\"object\",\"properties\":{}}", args -> Instant.now().toString());
 * }</pre>
 *
 * @param name the tool's name, unique among the agent's tools
 * @param description what it does, for the model
 * @param parametersJsonSchema the JSON schema of its arguments, as JSON text
 * @param handler the code run for a call; called concurrently by many runs
 */
public record FunctionTool(
    String name, String description, String parametersJsonSchema, Handler handler) {

  /** Runs a call of a function tool. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Returns the tool's output for a call with {@code argumentsJson} (a JSON object as text).
     * Throwing reports the exception's class to the model as a tool error; its message is not
     * passed on, since it may hold secrets.
     */
    String call(String argumentsJson) throws Exception;
  }

  /** Checks that no part is null and the name is not blank. */
  public FunctionTool {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(parametersJsonSchema, "parametersJsonSchema");
    requireNonNull(handler, "handler");
    if (name.isBlank()) {
      throw new IllegalArgumentException("function tool name must not be blank");
    }
  }

  /** Returns a function tool. */
  public static FunctionTool of(
      String name, String description, String parametersJsonSchema, Handler handler) {
    return new FunctionTool(name, description, parametersJsonSchema, handler);
  }

  /** Returns the definition the model sees. */
  public ToolDefinition definition() {
    return new ToolDefinition(name, description, parametersJsonSchema);
  }
}
