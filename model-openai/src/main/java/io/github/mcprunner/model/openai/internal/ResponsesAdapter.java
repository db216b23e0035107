package io.github.mcprunner.model.openai.internal;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseErrorEvent;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.Tool;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.ToolChoiceOptions;
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
 * The Responses API ({@code POST /responses}): the conversation goes as input items, function tools
 * carry the MCP schemas unchanged, the answer's message text and function calls come back.
 * Streamed, the text deltas go to the listener and the final {@code response.completed} event gives
 * the answer.
 */
public final class ResponsesAdapter extends ModelAdapter {
  private final String model;
  private final @Nullable Boolean parallelToolCalls;
  private final @Nullable Boolean store;

  /** Creates the adapter. */
  public ResponsesAdapter(
      OpenAIClient client,
      Endpoint endpoint,
      MalformedArguments malformedArguments,
      @Nullable Boolean parallelToolCalls,
      @Nullable Boolean store) {
    super(client, endpoint, malformedArguments);
    this.model = endpoint.model();
    this.parallelToolCalls = parallelToolCalls;
    this.store = store;
  }

  @Override
  protected ModelResponse once(ModelRequest request) {
    return toModelResponse(client.responses().create(params(request)), request);
  }

  @Override
  protected ModelResponse streamed(ModelRequest request, ModelStreamListener listener) {
    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().createStreaming(params(request))) {
      for (Iterator<ResponseStreamEvent> it = stream.stream().iterator(); it.hasNext(); ) {
        ResponseStreamEvent event = it.next();
        if (event.isOutputTextDelta()) {
          listener.onTextDelta(event.asOutputTextDelta().delta());
        } else if (event.isRefusalDelta()) {
          listener.onTextDelta(event.asRefusalDelta().delta());
        } else if (event.isCompleted()) {
          return toModelResponse(event.asCompleted().response(), request);
        } else if (event.isIncomplete()) {
          return toModelResponse(event.asIncomplete().response(), request);
        } else if (event.isFailed()) {
          throw failed(event.asFailed().response(), request);
        } else if (event.isError()) {
          throw streamError(event.asError(), request);
        }
      }
    }
    throw new OpenAiModelException(
        endpoint.describe(request.agentName())
            + " ended its event stream without a response.completed event",
        0,
        null,
        null);
  }

  /** Builds the request body. */
  ResponseCreateParams params(ModelRequest request) {
    ResponseCreateParams.Builder params =
        ResponseCreateParams.builder().model(model).inputOfResponse(input(request.input()));
    if (!request.instructions().isBlank()) {
      params.instructions(request.instructions());
    }
    if (store != null) {
      params.store(store);
    }
    if (!request.tools().isEmpty()) {
      List<Tool> tools = new ArrayList<>();
      for (ToolDefinition tool : request.tools()) {
        tools.add(Tool.ofFunction(function(tool)));
      }
      params.tools(tools);
      if (parallelToolCalls != null) {
        params.parallelToolCalls(parallelToolCalls);
      }
      String toolChoice = request.settings().toolChoice();
      if (toolChoice != null) {
        toolChoice(params, toolChoice);
      }
    }
    ModelSettings settings = request.settings();
    if (settings.temperature() != null) {
      params.temperature(settings.temperature());
    }
    if (settings.maxOutputTokens() != null) {
      params.maxOutputTokens(settings.maxOutputTokens().longValue());
    }
    return params.build();
  }

  private static FunctionTool function(ToolDefinition tool) {
    FunctionTool.Builder function =
        FunctionTool.builder()
            .name(tool.name())
            .parameters(
                FunctionTool.Parameters.builder()
                    .putAllAdditionalProperties(Json.schemaMembers(tool))
                    .build())
            // Strict mode would demand every property be required and no other be allowed: the
            // MCP server's schema is sent as it is instead.
            .strict(false);
    if (!tool.description().isEmpty()) {
      function.description(tool.description());
    }
    return function.build();
  }

  private static void toolChoice(ResponseCreateParams.Builder params, String choice) {
    switch (choice) {
      case "auto":
        params.toolChoice(ToolChoiceOptions.AUTO);
        break;
      case "required":
        params.toolChoice(ToolChoiceOptions.REQUIRED);
        break;
      case "none":
        params.toolChoice(ToolChoiceOptions.NONE);
        break;
      default:
        params.toolChoice(ToolChoiceFunction.builder().name(choice).build());
    }
  }

  private static List<ResponseInputItem> input(List<InputItem> items) {
    List<ResponseInputItem> input = new ArrayList<>(items.size());
    for (InputItem item : items) {
      if (item instanceof InputItem.Message) {
        InputItem.Message message = (InputItem.Message) item;
        input.add(
            ResponseInputItem.ofEasyInputMessage(
                EasyInputMessage.builder()
                    .role(
                        message.role() == InputItem.Role.USER
                            ? EasyInputMessage.Role.USER
                            : EasyInputMessage.Role.ASSISTANT)
                    .content(message.text())
                    .build()));
      } else if (item instanceof InputItem.ToolCall) {
        InputItem.ToolCall call = (InputItem.ToolCall) item;
        input.add(
            ResponseInputItem.ofFunctionCall(
                ResponseFunctionToolCall.builder()
                    .callId(call.callId())
                    .name(call.name())
                    .arguments(call.argumentsJson())
                    .build()));
      } else {
        InputItem.ToolResult result = (InputItem.ToolResult) item;
        input.add(
            ResponseInputItem.ofFunctionCallOutput(
                ResponseInputItem.FunctionCallOutput.builder()
                    .callId(result.callId())
                    .output(ToolOutputs.forModel(result))
                    .build()));
      }
    }
    return input;
  }

  private ModelResponse toModelResponse(Response response, ModelRequest request) {
    if (response.error().isPresent()) {
      throw failed(response, request);
    }
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    List<InputItem.ToolCall> calls = new ArrayList<>();
    for (ResponseOutputItem item : response.output()) {
      if (item.isMessage()) {
        for (ResponseOutputMessage.Content part : item.asMessage().content()) {
          if (part.isOutputText()) {
            text.append(part.asOutputText().text());
            hasText = true;
          } else if (part.isRefusal()) {
            text.append(part.asRefusal().refusal());
            hasText = true;
          }
        }
      } else if (item.isFunctionCall()) {
        ResponseFunctionToolCall call = item.asFunctionCall();
        calls.add(new InputItem.ToolCall(call.callId(), call.name(), call.arguments()));
      }
    }
    return new ModelResponse(
        hasText ? text.toString() : null,
        calls,
        response.usage().map(ResponsesAdapter::usage).orElse(Usage.zero()));
  }

  private static Usage usage(ResponseUsage usage) {
    return new Usage(Math.max(0, usage.inputTokens()), Math.max(0, usage.outputTokens()));
  }

  private OpenAiModelException failed(Response response, ModelRequest request) {
    String code = response.error().map(error -> error.code().asString()).orElse(null);
    String message =
        response.error().map(error -> ": " + Failures.oneLine(error.message())).orElse("");
    return new OpenAiModelException(
        endpoint.describe(request.agentName())
            + " failed to produce a response"
            + (code == null ? "" : " (" + code + ")")
            + message,
        0,
        code,
        null);
  }

  private OpenAiModelException streamError(ResponseErrorEvent error, ModelRequest request) {
    String code = error.code().orElse(null);
    return new OpenAiModelException(
        endpoint.describe(request.agentName())
            + " reported an error in its event stream"
            + (code == null ? "" : " (" + code + ")")
            + ": "
            + Failures.oneLine(error.message()),
        0,
        code,
        null);
  }
}
