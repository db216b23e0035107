package io.github.mcprunner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.ToolDefinition;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallingModelTest {
  private final ToolCallingModel model = new ToolCallingModel(McpJsonDefaults.getMapper());

  @Test
  void argumentsGiveEveryTypedPropertyAValueOfItsType() {
    String args =
        model.arguments(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},"
                + "\"b\":{\"type\":\"integer\"},\"s\":{\"type\":\"string\"},"
                + "\"f\":{\"type\":\"boolean\"},\"l\":{\"type\":\"array\"},"
                + "\"o\":{\"type\":\"object\"},\"u\":{}}}");

    assertThat(args)
        .isEqualTo("{\"a\":2,\"b\":3,\"s\":\"conformance\",\"f\":true,\"l\":[],\"o\":{}}");
    assertThat(model.arguments("{\"type\":\"object\"}")).isEqualTo("{}");
  }

  @Test
  void callsEveryToolAtTheFirstTurnAndAnswersWithTheirOutputsAtTheNext() {
    List<ToolDefinition> tools =
        List.of(
            new ToolDefinition("one", "", "{\"type\":\"object\"}"),
            new ToolDefinition("two", "", "{\"type\":\"object\"}"));
    ModelResponse first =
        model.respond(
            new ModelRequest(
                "a", "", List.of(InputItem.Message.user("go")), tools, ModelSettings.defaults()));

    assertThat(first.toolCalls())
        .extracting(InputItem.ToolCall::name)
        .containsExactly("one", "two");

    ModelResponse second =
        model.respond(
            new ModelRequest(
                "a",
                "",
                List.of(
                    InputItem.Message.user("go"),
                    first.toolCalls().get(0),
                    new InputItem.ToolResult("call-1", "one", "1", false),
                    first.toolCalls().get(1),
                    new InputItem.ToolResult("call-2", "two", "boom", true)),
                tools,
                ModelSettings.defaults()));

    assertThat(second.toolCalls()).isEmpty();
    assertThat(second.textValue()).hasValue("one: 1\ntwo failed: boom");
  }
}
