package io.github.mcprunner.conformance;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ToolDefinition;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic stand-in for an LLM: at the first turn it calls every tool it is offered once,
 * with arguments made from the tool's input schema; at the next turn it answers with the tools'
 * outputs. Conformance scenarios check the protocol, not the model, so the model must not vary.
 *
 * <p>Arguments: every property of the schema gets a value of its type — numbers count up from 2
 * ({@code add_numbers} gets {@code a=2, b=3}), strings are {@code "conformance"}, booleans {@code
 * true}, arrays {@code []}, objects {@code {}}; a property without a type is left out.
 */
final class ToolCallingModel implements Model {
  private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {};

  private final McpJsonMapper json;

  ToolCallingModel(McpJsonMapper json) {
    this.json = json;
  }

  @Override
  public ModelResponse respond(ModelRequest request) {
    List<InputItem.ToolResult> results = new ArrayList<>();
    for (InputItem item : request.input()) {
      if (item instanceof InputItem.ToolResult) {
        results.add((InputItem.ToolResult) item);
      }
    }
    if (!results.isEmpty()) {
      StringBuilder answer = new StringBuilder();
      for (InputItem.ToolResult result : results) {
        answer
            .append(result.name())
            .append(result.error() ? " failed: " : ": ")
            .append(result.output())
            .append('\n');
      }
      return ModelResponse.ofText(answer.toString().strip());
    }
    if (request.tools().isEmpty()) {
      return ModelResponse.ofText("The server offers no tools.");
    }
    List<InputItem.ToolCall> calls = new ArrayList<>();
    int id = 1;
    for (ToolDefinition tool : request.tools()) {
      calls.add(
          new InputItem.ToolCall("call-" + id++, tool.name(), arguments(tool.inputSchemaJson())));
    }
    return ModelResponse.ofToolCalls(calls);
  }

  /** Returns a JSON object with a value for every typed property of {@code schemaJson}. */
  String arguments(String schemaJson) {
    try {
      Map<String, Object> schema = json.readValue(schemaJson, JSON_OBJECT);
      Map<String, Object> arguments = new LinkedHashMap<>();
      Object properties = schema.get("properties");
      if (properties instanceof Map) {
        int number = 2;
        for (Map.Entry<?, ?> property : ((Map<?, ?>) properties).entrySet()) {
          Object type =
              property.getValue() instanceof Map
                  ? ((Map<?, ?>) property.getValue()).get("type")
                  : null;
          Object value = valueOf(type, number);
          if (value != null) {
            arguments.put(String.valueOf(property.getKey()), value);
            if (value instanceof Integer) {
              number++;
            }
          }
        }
      }
      return json.writeValueAsString(arguments);
    } catch (IOException e) {
      throw new UncheckedIOException("a tool's input schema is not a JSON object", e);
    }
  }

  private static @Nullable Object valueOf(@Nullable Object type, int number) {
    if (!(type instanceof String)) {
      return null;
    }
    switch ((String) type) {
      case "number":
      case "integer":
        return number;
      case "string":
        return "conformance";
      case "boolean":
        return Boolean.TRUE;
      case "array":
        return List.of();
      case "object":
        return Map.of();
      default:
        return null;
    }
  }
}
