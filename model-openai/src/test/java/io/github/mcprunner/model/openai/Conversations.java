package io.github.mcprunner.model.openai;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.ToolDefinition;
import java.util.List;

/** Model requests the tests send. */
final class Conversations {
  static final String TEST_KEY = "sk-test-5f1c0ffee0123456789abcdef";

  static final String TICKETS_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\","
          + "\"enum\":[\"open\",\"closed\"],\"description\":\"Filter by status\"},"
          + "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":50,\"default\":10},"
          + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
          + "\"required\":[\"status\"],\"additionalProperties\":false,"
          + "\"$schema\":\"http://json-schema.org/draft-07/schema#\"}";

  static final ToolDefinition LIST_TICKETS =
      new ToolDefinition("list_tickets", "Lists the tenant's tickets.", TICKETS_SCHEMA);
  static final ToolDefinition WHOAMI =
      new ToolDefinition("whoami", "Who the caller is.", "{\"type\":\"object\"}");

  private Conversations() {}

  /** A question, no tools. */
  static ModelRequest question(String text) {
    return new ModelRequest(
        "support",
        "You help support agents.",
        List.of(InputItem.Message.user(text)),
        List.of(),
        ModelSettings.defaults());
  }

  /** A question with tools. */
  static ModelRequest withTools(String text, ModelSettings settings) {
    return new ModelRequest(
        "support",
        "You help support agents.",
        List.of(InputItem.Message.user(text)),
        List.of(LIST_TICKETS, WHOAMI),
        settings);
  }

  /**
   * A conversation with every kind of item: a question, the model's text and two calls of one turn,
   * their results (one an error), then a follow-up question.
   */
  static ModelRequest everyItem(ModelSettings settings) {
    return new ModelRequest(
        "support",
        "You help support agents.",
        List.of(
            InputItem.Message.user("Which tickets are open?"),
            InputItem.Message.assistant("Let me look."),
            new InputItem.ToolCall("call_1", "whoami", "{}"),
            new InputItem.ToolCall("call_2", "list_tickets", "{\"status\":\"open\"}"),
            new InputItem.ToolResult("call_1", "whoami", "{\"tenant\":\"acme\"}", false),
            new InputItem.ToolResult("call_2", "list_tickets", "backend unavailable", true),
            InputItem.Message.assistant("The ticket list is unavailable."),
            InputItem.Message.user("Try again.")),
        List.of(LIST_TICKETS, WHOAMI),
        settings);
  }
}
