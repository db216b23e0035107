package io.github.mcprunner.langchain4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.github.mcprunner.langchain4j.LangChain4jModelException;
import io.github.mcprunner.model.ToolDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Translates a tool's JSON schema (MCP {@code inputSchema}, a function tool's parameters) into a
 * LangChain4j {@link ToolSpecification}, exactly: a node becomes a typed {@link JsonSchemaElement}
 * only when that type holds every keyword of the node (so nothing is dropped or added); any other
 * nested node goes unchanged as a {@link JsonRawSchema}. The top level must be an object schema
 * with keywords {@link JsonObjectSchema} holds; the annotations {@code $schema}, {@code $id},
 * {@code $comment} and {@code title} there are left out (they constrain nothing); any other
 * top-level keyword is refused with an error naming the tool and the keyword.
 */
public final class ToolSchemas {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Top-level annotations that constrain nothing and that {@link JsonObjectSchema} cannot hold. */
  static final Set<String> DROPPED_ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title");

  private static final Set<String> TOP_KEYS =
      Set.of("type", "description", "properties", "required", "additionalProperties", "$defs");
  private static final Set<String> SCALAR_KEYS = Set.of("type", "description");
  private static final Set<String> OBJECT_KEYS = TOP_KEYS;
  private static final Set<String> ARRAY_KEYS = Set.of("type", "description", "items");
  private static final Set<String> ENUM_KEYS = Set.of("type", "description", "enum");
  private static final Set<String> ANY_OF_KEYS = Set.of("anyOf", "description");
  private static final String DEFS_PREFIX = "#/$defs/";

  private ToolSchemas() {}

  /**
   * Returns the specification of {@code tool}.
   *
   * @throws LangChain4jModelException if the schema is not JSON, not an object schema, or uses at
   *     its top level a keyword LangChain4j cannot express
   */
  public static ToolSpecification toSpecification(ToolDefinition tool) {
    ToolSpecification.Builder spec =
        ToolSpecification.builder().name(tool.name()).parameters(parameters(tool));
    if (!tool.description().isEmpty()) {
      spec.description(tool.description());
    }
    return spec.build();
  }

  static JsonObjectSchema parameters(ToolDefinition tool) {
    JsonNode root;
    try {
      root = JSON.readTree(tool.inputSchemaJson());
    } catch (JsonProcessingException e) {
      throw refused(tool, "is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw refused(tool, "is not a JSON object");
    }
    ObjectNode top = ((ObjectNode) root).deepCopy();
    DROPPED_ANNOTATIONS.forEach(top::remove);
    JsonNode type = top.get("type");
    if (type != null && !(type.isTextual() && type.asText().equals("object"))) {
      throw refused(
          tool, "has type " + type + " at its top level; a tool's arguments are an object");
    }
    for (Iterator<String> names = top.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TOP_KEYS.contains(name)) {
        throw refused(
            tool,
            "uses keyword '"
                + name
                + "' at its top level, which LangChain4j's JsonObjectSchema cannot express");
      }
      if (top.get(name).isNull()) {
        throw refused(tool, "has a null '" + name + "' at its top level");
      }
    }
    JsonNode additional = top.get("additionalProperties");
    if (additional != null && !additional.isBoolean()) {
      throw refused(
          tool,
          "has a schema as 'additionalProperties' at its top level, which LangChain4j's"
              + " JsonObjectSchema cannot express (only true or false)");
    }
    return object(tool, top, "");
  }

  private static JsonObjectSchema object(ToolDefinition tool, ObjectNode node, String path) {
    JsonObjectSchema.Builder object = JsonObjectSchema.builder();
    JsonNode description = node.get("description");
    if (description != null) {
      if (!description.isTextual()) {
        throw refused(tool, "has a 'description' that is not a string at " + where(path));
      }
      object.description(description.asText());
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      if (!properties.isObject()) {
        throw refused(tool, "has 'properties' that are not an object at " + where(path));
      }
      Map<String, JsonSchemaElement> elements = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        elements.put(
            property.getKey(),
            element(tool, property.getValue(), path + "/properties/" + property.getKey()));
      }
      object.addProperties(elements);
    }
    JsonNode required = node.get("required");
    if (required != null) {
      object.required(strings(tool, required, "required", path));
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null) {
      object.additionalProperties(additional.asBoolean());
    }
    JsonNode defs = node.get("$defs");
    if (defs != null) {
      if (!defs.isObject()) {
        throw refused(tool, "has '$defs' that are not an object at " + where(path));
      }
      Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> def : defs.properties()) {
        definitions.put(
            def.getKey(), element(tool, def.getValue(), path + "/$defs/" + def.getKey()));
      }
      object.definitions(definitions);
    }
    return object.build();
  }

  /** A nested schema: typed when a LangChain4j type holds all of it, else raw. */
  private static JsonSchemaElement element(ToolDefinition tool, JsonNode node, String path) {
    if (!node.isObject()) {
      throw refused(
          tool,
          "has a schema that is not an object ("
              + node.getNodeType()
              + ") at "
              + where(path)
              + ", which LangChain4j cannot express");
    }
    ObjectNode object = (ObjectNode) node;
    JsonSchemaElement typed = typed(tool, object, path);
    return typed != null ? typed : JsonRawSchema.from(object.toString());
  }

  private static @Nullable JsonSchemaElement typed(
      ToolDefinition tool, ObjectNode node, String path) {
    if (hasNullOrNonTextualDescription(node)) {
      return null;
    }
    String description = node.has("description") ? node.get("description").asText() : null;
    if (node.has("$ref")) {
      JsonNode ref = node.get("$ref");
      if (only(node, Set.of("$ref")) && ref.isTextual() && ref.asText().startsWith(DEFS_PREFIX)) {
        return JsonReferenceSchema.builder()
            .reference(ref.asText().substring(DEFS_PREFIX.length()))
            .build();
      }
      return null;
    }
    if (node.has("anyOf")) {
      JsonNode anyOf = node.get("anyOf");
      if (!only(node, ANY_OF_KEYS) || !anyOf.isArray() || anyOf.isEmpty()) {
        return null;
      }
      List<JsonSchemaElement> options = new ArrayList<>();
      for (int i = 0; i < anyOf.size(); i++) {
        options.add(element(tool, anyOf.get(i), path + "/anyOf/" + i));
      }
      return JsonAnyOfSchema.builder().description(description).anyOf(options).build();
    }
    JsonNode typeNode = node.get("type");
    String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
    if (node.has("enum")) {
      JsonNode values = node.get("enum");
      if (!"string".equals(type)
          || !only(node, ENUM_KEYS)
          || !values.isArray()
          || values.isEmpty()) {
        return null;
      }
      List<String> strings = new ArrayList<>();
      for (JsonNode value : values) {
        if (!value.isTextual()) {
          return null;
        }
        strings.add(value.asText());
      }
      return JsonEnumSchema.builder().description(description).enumValues(strings).build();
    }
    if (type == null) {
      return null;
    }
    switch (type) {
      case "string":
        return only(node, SCALAR_KEYS)
            ? JsonStringSchema.builder().description(description).build()
            : null;
      case "integer":
        return only(node, SCALAR_KEYS)
            ? JsonIntegerSchema.builder().description(description).build()
            : null;
      case "number":
        return only(node, SCALAR_KEYS)
            ? JsonNumberSchema.builder().description(description).build()
            : null;
      case "boolean":
        return only(node, SCALAR_KEYS)
            ? JsonBooleanSchema.builder().description(description).build()
            : null;
      case "null":
        return only(node, Set.of("type")) ? new JsonNullSchema() : null;
      case "array":
        {
          if (!only(node, ARRAY_KEYS)) {
            return null;
          }
          JsonNode items = node.get("items");
          if (items != null && !items.isObject()) {
            return null;
          }
          JsonArraySchema.Builder array = JsonArraySchema.builder().description(description);
          if (items != null) {
            array.items(element(tool, items, path + "/items"));
          }
          return array.build();
        }
      case "object":
        {
          JsonNode additional = node.get("additionalProperties");
          if (!only(node, OBJECT_KEYS)
              || (additional != null && !additional.isBoolean())
              || (node.has("properties") && !node.get("properties").isObject())
              || (node.has("required") && !isStringArray(node.get("required")))
              || (node.has("$defs") && !node.get("$defs").isObject())) {
            return null;
          }
          return object(tool, node, path);
        }
      default:
        return null;
    }
  }

  private static boolean hasNullOrNonTextualDescription(ObjectNode node) {
    for (Iterator<JsonNode> values = node.elements(); values.hasNext(); ) {
      if (values.next().isNull()) {
        return true;
      }
    }
    JsonNode description = node.get("description");
    return description != null && !description.isTextual();
  }

  private static boolean only(ObjectNode node, Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (!allowed.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isStringArray(JsonNode node) {
    if (!node.isArray()) {
      return false;
    }
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> strings(
      ToolDefinition tool, JsonNode node, String keyword, String path) {
    if (!isStringArray(node)) {
      throw refused(
          tool, "has a '" + keyword + "' that is not an array of strings at " + where(path));
    }
    List<String> strings = new ArrayList<>();
    node.forEach(element -> strings.add(element.asText()));
    return strings;
  }

  private static String where(String path) {
    return path.isEmpty() ? "its top level" : "'#" + path + "'";
  }

  private static LangChain4jModelException refused(ToolDefinition tool, String what) {
    return new LangChain4jModelException(
        "The parameters schema of tool '" + tool.name() + "' " + what, 0, null);
  }
}
