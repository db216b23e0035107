package io.github.mcprunner.model.openai.internal;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.ModelStreamListener;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import io.github.mcprunner.model.openai.MalformedArguments;
import io.github.mcprunner.model.openai.OpenAiModelException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Chat Completions API ({@code POST /chat/completions}): instructions as a system message, the
 * conversation as messages (an assistant message holding the turn's tool calls, one tool message
 * per result), function tools carrying the MCP schemas unchanged. Streamed, content deltas go to
 * the listener and the tool calls are put together from their fragments.
 */
public final class ChatCompletionsAdapter extends ModelAdapter {
  private final String model;
  private final @Nullable Boolean parallelToolCalls;
  private final boolean legacyMaxTokens;
  private final boolean streamUsage;

  /** Creates the adapter. */
  public ChatCompletionsAdapter(
      OpenAIClient client,
      Endpoint endpoint,
      MalformedArguments malformedArguments,
      @Nullable Boolean parallelToolCalls,
      boolean legacyMaxTokens,
      boolean streamUsage) {
    super(client, endpoint, malformedArguments);
    this.model = endpoint.model();
    this.parallelToolCalls = parallelToolCalls;
    this.legacyMaxTokens = legacyMaxTokens;
    this.streamUsage = streamUsage;
  }

  @Override
  protected ModelResponse once(ModelRequest request) {
    ChatCompletion completion = client.chat().completions().create(params(request, false));
    if (completion.choices().isEmpty()) {
      throw new OpenAiModelException(
          endpoint.describe(request.agentName()) + " answered without a choice", 0, null, null);
    }
    ChatCompletionMessage message = completion.choices().get(0).message();
    String text = message.content().orElse(null);
    if (text == null) {
      text = message.refusal().orElse(null);
    }
    List<InputItem.ToolCall> calls = new ArrayList<>();
    for (ChatCompletionMessageToolCall call : message.toolCalls().orElse(List.of())) {
      if (call.isFunction()) {
        ChatCompletionMessageFunctionToolCall function = call.asFunction();
        calls.add(
            new InputItem.ToolCall(
                function.id(), function.function().name(), function.function().arguments()));
      }
    }
    return new ModelResponse(
        text, calls, completion.usage().map(ChatCompletionsAdapter::usage).orElse(Usage.zero()));
  }

  @Override
  protected ModelResponse streamed(ModelRequest request, ModelStreamListener listener) {
    ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params(request, true))) {
      for (Iterator<ChatCompletionChunk> it = stream.stream().iterator(); it.hasNext(); ) {
        String delta = accumulator.add(it.next());
        if (delta != null && !delta.isEmpty()) {
          listener.onTextDelta(delta);
        }
      }
    }
    if (!accumulator.finished()) {
      throw new OpenAiModelException(
          endpoint.describe(request.agentName())
              + " ended its event stream before the answer was finished",
          0,
          null,
          null);
    }
    return accumulator.response();
  }

  /** Builds the request body. */
  @SuppressWarnings("deprecation") // max_tokens, on request, for servers that lack the newer field
  ChatCompletionCreateParams params(ModelRequest request, boolean streaming) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder().model(model).messages(messages(request));
    if (!request.tools().isEmpty()) {
      List<ChatCompletionTool> tools = new ArrayList<>();
      for (ToolDefinition tool : request.tools()) {
        tools.add(ChatCompletionTool.ofFunction(function(tool)));
      }
      params.tools(tools);
      if (parallelToolCalls != null) {
        params.parallelToolCalls(parallelToolCalls);
      }
      String toolChoice = request.settings().toolChoice();
      if (toolChoice != null) {
        params.toolChoice(toolChoice(toolChoice));
      }
    }
    ModelSettings settings = request.settings();
    if (settings.temperature() != null) {
      params.temperature(settings.temperature());
    }
    if (settings.maxOutputTokens() != null) {
      long max = settings.maxOutputTokens().longValue();
      if (legacyMaxTokens) {
        params.maxTokens(max);
      } else {
        params.maxCompletionTokens(max);
      }
    }
    if (streaming && streamUsage) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return params.build();
  }

  private static ChatCompletionFunctionTool function(ToolDefinition tool) {
    FunctionDefinition.Builder function =
        FunctionDefinition.builder()
            .name(tool.name())
            .parameters(
                FunctionParameters.builder()
                    .putAllAdditionalProperties(Json.schemaMembers(tool))
                    .build());
    if (!tool.description().isEmpty()) {
      function.description(tool.description());
    }
    return ChatCompletionFunctionTool.builder().function(function.build()).build();
  }

  private static ChatCompletionToolChoiceOption toolChoice(String choice) {
    switch (choice) {
      case "auto":
        return ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.AUTO);
      case "required":
        return ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.REQUIRED);
      case "none":
        return ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.NONE);
      default:
        return ChatCompletionToolChoiceOption.ofNamedToolChoice(
            ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name(choice).build())
                .build());
    }
  }

  /**
   * The conversation as chat messages. An assistant's text and the tool calls that follow it make
   * one assistant message, as the API expects the calls of one turn together.
   */
  private static List<ChatCompletionMessageParam> messages(ModelRequest request) {
    List<ChatCompletionMessageParam> messages = new ArrayList<>();
    if (!request.instructions().isBlank()) {
      messages.add(
          ChatCompletionMessageParam.ofSystem(
              ChatCompletionSystemMessageParam.builder().content(request.instructions()).build()));
    }
    PendingAssistant pending = null;
    for (InputItem item : request.input()) {
      if (item instanceof InputItem.Message) {
        InputItem.Message message = (InputItem.Message) item;
        flush(pending, messages);
        pending = null;
        if (message.role() == InputItem.Role.USER) {
          messages.add(
              ChatCompletionMessageParam.ofUser(
                  ChatCompletionUserMessageParam.builder().content(message.text()).build()));
        } else {
          pending = new PendingAssistant(message.text());
        }
      } else if (item instanceof InputItem.ToolCall) {
        if (pending == null) {
          pending = new PendingAssistant(null);
        }
        pending.calls.add((InputItem.ToolCall) item);
      } else {
        flush(pending, messages);
        pending = null;
        InputItem.ToolResult result = (InputItem.ToolResult) item;
        messages.add(
            ChatCompletionMessageParam.ofTool(
                ChatCompletionToolMessageParam.builder()
                    .toolCallId(result.callId())
                    .content(ToolOutputs.forModel(result))
                    .build()));
      }
    }
    flush(pending, messages);
    return messages;
  }

  private static void flush(
      @Nullable PendingAssistant pending, List<ChatCompletionMessageParam> messages) {
    if (pending == null) {
      return;
    }
    ChatCompletionAssistantMessageParam.Builder assistant =
        ChatCompletionAssistantMessageParam.builder();
    if (pending.text != null) {
      assistant.content(pending.text);
    }
    for (InputItem.ToolCall call : pending.calls) {
      assistant.addToolCall(
          ChatCompletionMessageFunctionToolCall.builder()
              .id(call.callId())
              .function(
                  ChatCompletionMessageFunctionToolCall.Function.builder()
                      .name(call.name())
                      .arguments(call.argumentsJson())
                      .build())
              .build());
    }
    messages.add(ChatCompletionMessageParam.ofAssistant(assistant.build()));
  }

  static Usage usage(CompletionUsage usage) {
    return new Usage(Math.max(0, usage.promptTokens()), Math.max(0, usage.completionTokens()));
  }

  private static final class PendingAssistant {
    final @Nullable String text;
    final List<InputItem.ToolCall> calls = new ArrayList<>();

    PendingAssistant(@Nullable String text) {
      this.text = text;
    }
  }
}
