package com.example.assistant;

import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;

/**
 * A scripted Spring AI chat model that executes tools the way Spring AI's own models do (through a
 * {@link ToolCallingManager}): a user message {@code <user>} is answered with a call of the tool
 * with arguments {@code {"user": "<user>"}}, and the tool's result is the final answer. Stateless,
 * so any number of conversations can share it.
 */
final class ScriptedChatModel implements ChatModel {
  private final String tool;
  private final ToolCallingManager tools = ToolCallingManager.builder().build();

  ScriptedChatModel(String tool) {
    this.tool = tool;
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    List<Message> messages = prompt.getInstructions();
    Message last = messages.get(messages.size() - 1);
    if (last instanceof UserMessage user) {
      AssistantMessage call =
          AssistantMessage.builder()
              .content("")
              .toolCalls(
                  List.of(
                      new AssistantMessage.ToolCall(
                          "call-1", "function", tool, "{\"user\":\"" + user.getText() + "\"}")))
              .build();
      ChatResponse response = new ChatResponse(List.of(new Generation(call)));
      ToolExecutionResult result = tools.executeToolCalls(prompt, response);
      return call(new Prompt(result.conversationHistory(), prompt.getOptions()));
    }
    ToolResponseMessage results = (ToolResponseMessage) last;
    return new ChatResponse(
        List.of(
            new Generation(new AssistantMessage(results.getResponses().get(0).responseData()))));
  }

  @Override
  public ChatOptions getOptions() {
    return ToolCallingChatOptions.builder().build();
  }

  @Override
  public ChatOptions getDefaultOptions() {
    return getOptions();
  }
}
