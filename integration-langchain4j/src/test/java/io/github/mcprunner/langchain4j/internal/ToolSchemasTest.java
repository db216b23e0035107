package io.github.mcprunner.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.github.mcprunner.langchain4j.LangChain4jModelException;
import io.github.mcprunner.model.ToolDefinition;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ToolSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final String RICH =
      "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"Args\","
          + "\"type\":\"object\",\"description\":\"Create"
          + " a ticket\",\"properties\":{\"title\":{\"type\":\"string\",\"description\":\"Short"
          + " title\"},\"priority\":{\"type\":\"string\",\"enum\":[\"low\",\"high\"]},"
          + "\"estimate\":{\"type\":\"number\"},"
          + "\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
          + "\"urgent\":{\"type\":\"boolean\"},"
          + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
          + "\"owner\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
          + "\"email\":{\"type\":\"string\",\"format\":\"email\"}},\"required\":[\"id\"],"
          + "\"additionalProperties\":false},"
          + "\"due\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]},"
          + "\"nullable\":{\"type\":[\"string\",\"null\"]},\"level\":{\"enum\":[1,2,3]},"
          + "\"parent\":{\"$ref\":\"#/$defs/Ref\"}},"
          + "\"required\":[\"title\",\"priority\"],\"additionalProperties\":false,"
          + "\"$defs\":{\"Ref\":{"
          + "\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}}}";

  private static ToolDefinition tool(String schema) {
    return new ToolDefinition("create_ticket", "Creates a ticket.", schema);
  }

  @Test
  void translatesEveryConstructToTheMatchingTypeAndPassesTheRestRaw() {
    ToolSpecification spec = ToolSchemas.toSpecification(tool(RICH));

    assertThat(spec.name()).isEqualTo("create_ticket");
    assertThat(spec.description()).isEqualTo("Creates a ticket.");
    JsonObjectSchema parameters = spec.parameters();
    assertThat(parameters.description()).isEqualTo("Create a ticket");
    assertThat(parameters.required()).containsExactly("title", "priority");
    assertThat(parameters.additionalProperties()).isFalse();
    var properties = parameters.properties();
    assertThat(properties.get("title"))
        .isEqualTo(JsonStringSchema.builder().description("Short title").build());
    assertThat(properties.get("priority"))
        .isEqualTo(JsonEnumSchema.builder().enumValues("low", "high").build());
    assertThat(properties.get("urgent")).isInstanceOf(JsonBooleanSchema.class);
    assertThat(properties.get("tags"))
        .isEqualTo(JsonArraySchema.builder().items(new JsonStringSchema()).build());
    assertThat(properties.get("due")).isInstanceOf(JsonAnyOfSchema.class);
    assertThat(properties.get("parent"))
        .isEqualTo(JsonReferenceSchema.builder().reference("Ref").build());
    // minimum/maximum, type unions and non-string enums have no LangChain4j type: raw.
    assertThat(properties.get("count")).isInstanceOf(JsonRawSchema.class);
    assertThat(properties.get("nullable")).isInstanceOf(JsonRawSchema.class);
    assertThat(properties.get("level")).isInstanceOf(JsonRawSchema.class);
    JsonObjectSchema owner = (JsonObjectSchema) properties.get("owner");
    assertThat(owner.properties().get("id")).isInstanceOf(JsonIntegerSchema.class);
    assertThat(owner.properties().get("email")).isInstanceOf(JsonRawSchema.class);
    assertThat(parameters.definitions()).containsKey("Ref");
  }

  @Test
  void theTranslationLosesAndAddsNothingButTopLevelAnnotations() throws Exception {
    JsonNode expected = JSON.readTree(RICH);
    ((ObjectNode) expected).remove(List.of("$schema", "title"));

    assertThat(normalized(roundTrip(RICH))).isEqualTo(normalized(expected));
  }

  @Property(tries = 300)
  void everyGeneratedSchemaRoundTripsExactly(@ForAll("schemas") ObjectNode schema)
      throws Exception {
    assertThat(normalized(roundTrip(schema.toString()))).isEqualTo(normalized(schema));
  }

  @Test
  void aToolWithoutArgumentsGetsAnEmptyObject() {
    JsonObjectSchema parameters =
        ToolSchemas.toSpecification(tool("{\"type\":\"object\",\"properties\":{}}")).parameters();
    assertThat(parameters.properties()).isEmpty();
    assertThat(ToolSchemas.toSpecification(tool("{}")).parameters().properties()).isEmpty();
  }

  @Test
  void refusesWhatLangChain4jCannotExpressNamingTheToolAndTheConstruct() {
    assertRefused("{\"type\":\"object\",\"oneOf\":[]}", "keyword 'oneOf'");
    assertRefused(
        "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}",
        "'additionalProperties'");
    assertRefused("{\"type\":\"string\"}", "has type \"string\"");
    assertRefused("[1]", "is not a JSON object");
    assertRefused("{\"type\":", "is not valid JSON");
    assertRefused("{\"type\":\"object\",\"type\":\"object\"}", "is not valid JSON");
    assertRefused(
        "{\"type\":\"object\",\"properties\":{\"a\":true}}",
        "not an object (BOOLEAN) at '#/properties/a'");
    assertRefused("{\"type\":\"object\",\"required\":\"a\"}", "'required'");
  }

  private static void assertRefused(String schema, String construct) {
    assertThatThrownBy(() -> ToolSchemas.toSpecification(tool(schema)))
        .isInstanceOf(LangChain4jModelException.class)
        .hasMessageContaining("tool 'create_ticket'")
        .hasMessageContaining(construct);
  }

  /**
   * The parameters as LangChain4j itself writes a specification out (no loss, no provider tweaks).
   */
  private static JsonNode roundTrip(String schema) throws Exception {
    ToolSpecification spec = ToolSchemas.toSpecification(tool(schema));
    return JSON.readTree(spec.toJson()).path("parameters");
  }

  /** Drops empty 'properties' and 'required' of object schemas, which mean the same as none. */
  private static JsonNode normalized(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.path("properties").isObject() && object.path("properties").isEmpty()) {
        object.remove("properties");
      }
      if (object.path("required").isArray() && object.path("required").isEmpty()) {
        object.remove("required");
      }
      for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
        strip(it.next());
      }
    } else if (node.isArray()) {
      node.forEach(ToolSchemasTest::strip);
    }
  }

  @Provide
  Arbitrary<ObjectNode> schemas() {
    return Arbitraries.lazyOf(() -> objectSchema(3)).map(o -> o);
  }

  private Arbitrary<ObjectNode> objectSchema(int depth) {
    Arbitrary<Map<String, ObjectNode>> properties =
        Arbitraries.maps(names(), node(depth - 1)).ofMaxSize(4);
    return net.jqwik.api.Combinators.combine(
            properties,
            Arbitraries.of(true, false),
            descriptions().injectNull(0.5),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.5))
        .as(
            (props, requireSome, description, additional) -> {
              ObjectNode object = NODES.objectNode().put("type", "object");
              if (description != null) {
                object.put("description", description);
              }
              ObjectNode p = object.putObject("properties");
              props.forEach(p::set);
              if (requireSome && !props.isEmpty()) {
                ArrayNode required = object.putArray("required");
                required.add(props.keySet().iterator().next());
              }
              if (additional != null) {
                object.put("additionalProperties", additional);
              }
              return object;
            });
  }

  private Arbitrary<ObjectNode> node(int depth) {
    Arbitrary<ObjectNode> leaf =
        Arbitraries.oneOf(
            scalar("string"),
            scalar("integer"),
            scalar("number"),
            scalar("boolean"),
            Arbitraries.just(NODES.objectNode().put("type", "null")),
            names()
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(
                    values -> {
                      ObjectNode e = NODES.objectNode().put("type", "string");
                      values.forEach(e.putArray("enum")::add);
                      return e;
                    }),
            // Constructs without a LangChain4j type: passed raw.
            Arbitraries.integers()
                .between(-5, 5)
                .map(min -> NODES.objectNode().put("type", "integer").put("minimum", min)),
            Arbitraries.just(
                (ObjectNode)
                    NODES
                        .objectNode()
                        .put("format", "date")
                        .set("type", NODES.arrayNode().add("string").add("null"))),
            Arbitraries.just(
                (ObjectNode) NODES.objectNode().set("enum", NODES.arrayNode().add(1).add("a"))));
    if (depth <= 0) {
      return leaf;
    }
    Arbitrary<ObjectNode> array =
        node(depth - 1)
            .map(items -> (ObjectNode) NODES.objectNode().put("type", "array").set("items", items));
    Arbitrary<ObjectNode> anyOf =
        node(depth - 1)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(
                options -> {
                  ObjectNode n = NODES.objectNode();
                  options.forEach(n.putArray("anyOf")::add);
                  return n;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(2, array),
        net.jqwik.api.Tuple.of(1, anyOf),
        net.jqwik.api.Tuple.of(2, objectSchema(depth - 1)));
  }

  private Arbitrary<ObjectNode> scalar(String type) {
    return descriptions()
        .injectNull(0.5)
        .map(
            d -> {
              ObjectNode n = NODES.objectNode().put("type", type);
              if (d != null) {
                n.put("description", d);
              }
              return n;
            });
  }

  private static Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
  }

  private static Arbitrary<String> descriptions() {
    return Arbitraries.strings().all().ofMaxLength(12);
  }
}
