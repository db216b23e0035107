package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.modern.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code x-mcp-header}: which arguments go into {@code Mcp-Param-*}, converted and encoded. */
class ToolParamHeadersTest {

  private static McpSchema.Tool tool(String schema) {
    return McpSchema.Tool.builder("t", McpJsonDefaults.getMapper(), schema).build();
  }

  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
          + "\"limit\":{\"type\":\"integer\",\"x-mcp-header\":\"Limit\"},"
          + "\"dry\":{\"type\":\"boolean\",\"x-mcp-header\":\"Dry-Run\"},"
          + "\"target\":{\"type\":\"object\",\"properties\":{"
          + "\"db\":{\"type\":\"string\",\"x-mcp-header\":\"Db\"}}},"
          + "\"query\":{\"type\":\"string\"}}}";

  @Test
  void mirrorsEachAnnotatedValueConvertedAndEncodedInOrder() {
    ToolParamHeaders headers = ToolParamHeaders.of(tool(SCHEMA));

    Map<String, String> mirrored =
        headers.headersFor(
            Map.of(
                "region",
                "Zürich",
                "limit",
                42,
                "dry",
                true,
                "target",
                Map.of("db", "orders"),
                "query",
                "select 1"));

    assertThat(headers.invalid()).isNull();
    assertThat(mirrored)
        .containsExactly(
            Map.entry("Mcp-Param-Region", "=?base64?WsO8cmljaA==?="),
            Map.entry("Mcp-Param-Limit", "42"),
            Map.entry("Mcp-Param-Dry-Run", "true"),
            Map.entry("Mcp-Param-Db", "orders"));
  }

  @Test
  void anAbsentOrNullValueSendsNoHeader() {
    ToolParamHeaders headers = ToolParamHeaders.of(tool(SCHEMA));
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("region", null);
    arguments.put("limit", 7.0);
    arguments.put("target", List.of("not", "an", "object"));

    assertThat(headers.headersFor(arguments)).containsExactly(Map.entry("Mcp-Param-Limit", "7"));
  }

  @Test
  void annotationsThatBreakTheConstraintsMakeTheToolInvalid() {
    List<String> broken =
        List.of(
            // a number is not allowed
            "{\"type\":\"object\",\"properties\":{\"p\":"
                + "{\"type\":\"number\",\"x-mcp-header\":\"P\"}}}",
            // not a token
            "{\"type\":\"object\",\"properties\":{\"p\":"
                + "{\"type\":\"string\",\"x-mcp-header\":\"a b\"}}}",
            // not statically reachable (inside items)
            "{\"type\":\"object\",\"properties\":{\"l\":{\"type\":\"array\",\"items\":"
                + "{\"type\":\"string\",\"x-mcp-header\":\"L\"}}}}",
            // the same name twice, regardless of case
            "{\"type\":\"object\",\"properties\":{"
                + "\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Name\"},"
                + "\"b\":{\"type\":\"string\",\"x-mcp-header\":\"name\"}}}");

    for (String schema : broken) {
      assertThat(ToolParamHeaders.of(tool(schema)).invalid()).as(schema).isNotBlank();
    }
  }

  @Test
  void aToolWithoutAnnotationsMirrorsNothing() {
    ToolParamHeaders headers =
        ToolParamHeaders.of(
            tool("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}"));

    assertThat(headers.invalid()).isNull();
    assertThat(headers.headersFor(Map.of("q", "x"))).isEmpty();
  }
}
