package io.github.mcprunner.langchain4j.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.mcprunner.langchain4j.LangChain4jModelException;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Maps a runner {@link ModelRequest} to a LangChain4j {@link ChatRequest} and a {@link
 * ChatResponse} back to a {@link ModelResponse}. Tool-call arguments and tool results pass as the
 * same strings, byte for byte.
 */
public final class Conversations {
  private Conversations() {}

  /**
   * Returns the chat request for {@code request}: the instructions as a system message (when not
   * blank), the conversation as messages (an assistant's text and the tool calls that follow it as
   * one {@link AiMessage}, each result as a {@link ToolExecutionResultMessage}), the tools as
   * {@link ToolSpecification}s, and the settings LangChain4j has a parameter for.
   *
   * @throws LangChain4jModelException if a tool's schema cannot be expressed, or the tool choice
   *     names a tool the request does not offer
   */
  public static ChatRequest toChatRequest(ModelRequest request, String where) {
    ChatRequest.Builder chat = ChatRequest.builder().messages(messages(request));
    ModelSettings settings = request.settings();
    if (settings.temperature() != null) {
      chat.temperature(settings.temperature());
    }
    if (settings.maxOutputTokens() != null) {
      chat.maxOutputTokens(settings.maxOutputTokens());
    }
    if (!request.tools().isEmpty()) {
      List<ToolDefinition> offered = request.tools();
      ToolChoice choice = null;
      String toolChoice = settings.toolChoice();
      if (toolChoice != null) {
        switch (toolChoice) {
          case "auto":
            choice = ToolChoice.AUTO;
            break;
          case "required":
            choice = ToolChoice.REQUIRED;
            break;
          case "none":
            choice = ToolChoice.NONE;
            break;
          default:
            // LangChain4j has no named tool choice: offer only that tool, and require a call.
            offered = named(request, toolChoice, where);
            choice = ToolChoice.REQUIRED;
        }
      }
      List<ToolSpecification> specifications = new ArrayList<>();
      for (ToolDefinition tool : offered) {
        specifications.add(ToolSchemas.toSpecification(tool));
      }
      chat.toolSpecifications(specifications);
      if (choice != null) {
        chat.toolChoice(choice);
      }
    }
    return chat.build();
  }

  private static List<ToolDefinition> named(ModelRequest request, String name, String where) {
    for (ToolDefinition tool : request.tools()) {
      if (tool.name().equals(name)) {
        return List.of(tool);
      }
    }
    throw new LangChain4jModelException(
        where + ": the tool choice names tool '" + name + "', which this request does not offer",
        0,
        null);
  }

  private static List<ChatMessage> messages(ModelRequest request) {
    List<ChatMessage> messages = new ArrayList<>();
    if (!request.instructions().isBlank()) {
      messages.add(SystemMessage.from(request.instructions()));
    }
    String pendingText = null;
    List<ToolExecutionRequest> pendingCalls = new ArrayList<>();
    boolean pending = false;
    for (InputItem item : request.input()) {
      if (item instanceof InputItem.ToolCall) {
        InputItem.ToolCall call = (InputItem.ToolCall) item;
        pendingCalls.add(
            ToolExecutionRequest.builder()
                .id(call.callId())
                .name(call.name())
                .arguments(call.argumentsJson())
                .build());
        pending = true;
        continue;
      }
      if (pending) {
        messages.add(aiMessage(pendingText, pendingCalls));
        pendingText = null;
        pendingCalls = new ArrayList<>();
        pending = false;
      }
      if (item instanceof InputItem.Message) {
        InputItem.Message message = (InputItem.Message) item;
        if (message.role() == InputItem.Role.USER) {
          messages.add(UserMessage.from(message.text()));
        } else {
          pendingText = message.text();
          pending = true;
        }
      } else {
        InputItem.ToolResult result = (InputItem.ToolResult) item;
        messages.add(
            ToolExecutionResultMessage.builder()
                .id(result.callId())
                .toolName(result.name())
                .text(result.output())
                .isError(result.error() ? Boolean.TRUE : null)
                .build());
      }
    }
    if (pending) {
      messages.add(aiMessage(pendingText, pendingCalls));
    }
    return messages;
  }

  private static AiMessage aiMessage(@Nullable String text, List<ToolExecutionRequest> calls) {
    AiMessage.Builder message = AiMessage.builder();
    if (text != null) {
      message.text(text);
    }
    if (!calls.isEmpty()) {
      message.toolExecutionRequests(calls);
    }
    return message.build();
  }

  /**
   * Returns the runner's response for {@code response}: its text, its tool calls with their
   * arguments unchanged (a call without an id gets one, a call without arguments gets {@code {}}),
   * and its token usage.
   */
  public static ModelResponse toModelResponse(ChatResponse response, String where) {
    AiMessage message = response.aiMessage();
    if (message == null) {
      throw new LangChain4jModelException(where + " answered without a message", 0, null);
    }
    List<InputItem.ToolCall> calls = new ArrayList<>();
    for (ToolExecutionRequest call : message.toolExecutionRequests()) {
      if (call.name() == null || call.name().isBlank()) {
        throw new LangChain4jModelException(
            where + " asked for a tool call without a tool name", 0, null);
      }
      String id =
          call.id() == null || call.id().isEmpty() ? "lc4j_" + UUID.randomUUID() : call.id();
      String arguments = call.arguments() == null ? "{}" : call.arguments();
      calls.add(new InputItem.ToolCall(id, call.name(), arguments));
    }
    return new ModelResponse(message.text(), calls, usage(response.tokenUsage()));
  }

  static Usage usage(@Nullable TokenUsage usage) {
    if (usage == null) {
      return Usage.zero();
    }
    return new Usage(count(usage.inputTokenCount()), count(usage.outputTokenCount()));
  }

  private static long count(@Nullable Integer count) {
    return count == null ? 0 : Math.max(0, count);
  }
}
