package io.github.mcprunner.langchain4j;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A LangChain4j {@link ChatModel} for tests: answers each request with the next scripted turn (a
 * function of the request, so a turn can fail or read what it got) and records every request it
 * received, as LangChain4j's own plumbing ({@code chat} → {@code doChat}) handed it over.
 */
final class ScriptedChatModel implements ChatModel {
  private final ConcurrentLinkedQueue<Function<ChatRequest, ChatResponse>> turns =
      new ConcurrentLinkedQueue<>();
  private final List<ChatRequest> requests = new ArrayList<>();

  ScriptedChatModel then(Function<ChatRequest, ChatResponse> turn) {
    turns.add(requireNonNull(turn));
    return this;
  }

  ScriptedChatModel thenCall(ToolExecutionRequest... calls) {
    return then(request -> response(AiMessage.from(List.of(calls)), FinishReason.TOOL_EXECUTION));
  }

  ScriptedChatModel thenAnswer(String text) {
    return then(request -> response(AiMessage.from(text), FinishReason.STOP));
  }

  static ChatResponse response(AiMessage message, FinishReason finish) {
    return ChatResponse.builder()
        .aiMessage(message)
        .tokenUsage(new TokenUsage(100, 20))
        .finishReason(finish)
        .build();
  }

  static ToolExecutionRequest call(String id, String name, String arguments) {
    return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    synchronized (requests) {
      requests.add(request);
    }
    Function<ChatRequest, ChatResponse> turn = turns.poll();
    if (turn == null) {
      throw new IllegalStateException("the script has no turn left");
    }
    return turn.apply(request);
  }

  List<ChatRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
