package io.github.mcprunner.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerbatimToolCallTest {

  @Test
  void oneObjectWithWhitespaceAroundIsOneObject() {
    assertThat(VerbatimToolCall.isOneObject("{}")).isTrue();
    assertThat(VerbatimToolCall.isOneObject(" \n\t{ \"a\" : [1, {\"b\": \"}\"}] }\r\n")).isTrue();
    assertThat(VerbatimToolCall.isOneObject("{\"q\":\"a \\\" } quote\",\"e\":\"\\\\\"}")).isTrue();
  }

  @Test
  void textThatClosesTheObjectEarlyOrIsNoObjectIsNot() {
    assertThat(VerbatimToolCall.isOneObject("{\"a\":1}, \"name\": \"other\"")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("{\"a\":1}}")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("{\"a\":\"}\"} {}")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("[1]")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("\"{}\"")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("{\"a\":1")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("")).isFalse();
    assertThat(VerbatimToolCall.isOneObject("\uFEFF{}")).isFalse();
  }

  @Test
  void theMcpJsonMapperWritesTheArgumentsAsTheyAre() throws Exception {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    String arguments = "{ \"ratio\" : 0.250000000000000000001, \"s\": \"\\u00e9\" }";
    String written =
        json.writeValueAsString(
            new McpSchema.JSONRPCRequest(
                "2.0",
                "tools/call",
                7,
                new VerbatimToolCall("tool", arguments, Map.of("traceparent", "00-x"))));
    assertThat(written)
        .contains("\"name\":\"tool\"")
        .contains("\"arguments\":" + arguments)
        .contains("\"_meta\":{\"traceparent\":\"00-x\"}");
    assertThat(json.writeValueAsString(new VerbatimToolCall("tool", "{}", null)))
        .doesNotContain("_meta");
  }
}
