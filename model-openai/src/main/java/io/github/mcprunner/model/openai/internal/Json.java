package io.github.mcprunner.model.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.JsonValue;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.openai.OpenAiModelException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON chores: tool schemas in, tool-call arguments checked. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private Json() {}

  /**
   * Returns the members of a tool's input schema, in their order, as the SDK's JSON values: the
   * schema goes to the API unchanged.
   *
   * @throws OpenAiModelException if the schema is not a JSON object
   */
  public static Map<String, JsonValue> schemaMembers(ToolDefinition tool) {
    JsonNode node;
    try {
      node = MAPPER.readTree(tool.inputSchemaJson());
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new OpenAiModelException(
          "The input schema of tool '" + tool.name() + "' is not a JSON object", 0, null, null);
    }
    Map<String, JsonValue> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      members.put(member.getKey(), JsonValue.fromJsonNode(member.getValue()));
    }
    return members;
  }

  /**
   * Returns whether {@code argumentsJson} is what a tool call needs: a JSON object, or blank (the
   * runner reads blank as no arguments).
   */
  public static boolean isArgumentsObject(String argumentsJson) {
    if (argumentsJson.isBlank()) {
      return true;
    }
    try {
      JsonNode node = MAPPER.readTree(argumentsJson);
      return node != null && node.isObject();
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
