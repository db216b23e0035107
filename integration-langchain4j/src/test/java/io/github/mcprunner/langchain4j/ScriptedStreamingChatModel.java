package io.github.mcprunner.langchain4j;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * A LangChain4j {@link StreamingChatModel} for tests: plays each scripted turn on {@code executor}
 * (as provider models answer on their HTTP client's threads): its partial texts, then the complete
 * response, or an error. Records every request.
 */
final class ScriptedStreamingChatModel implements StreamingChatModel {
  /** One streamed turn: partial texts, then either a response or an error. */
  record Turn(List<String> partials, ChatResponse response, Throwable error) {}

  private final Executor executor;
  private final ConcurrentLinkedQueue<Turn> turns = new ConcurrentLinkedQueue<>();
  private final List<ChatRequest> requests = new ArrayList<>();

  ScriptedStreamingChatModel(Executor executor) {
    this.executor = requireNonNull(executor);
  }

  ScriptedStreamingChatModel then(List<String> partials, ChatResponse response) {
    turns.add(new Turn(List.copyOf(partials), requireNonNull(response), null));
    return this;
  }

  ScriptedStreamingChatModel thenFail(List<String> partials, Throwable error) {
    turns.add(new Turn(List.copyOf(partials), null, requireNonNull(error)));
    return this;
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    synchronized (requests) {
      requests.add(request);
    }
    Turn turn = turns.poll();
    executor.execute(
        () -> {
          if (turn == null) {
            handler.onError(new IllegalStateException("the script has no turn left"));
            return;
          }
          turn.partials().forEach(handler::onPartialResponse);
          if (turn.error() != null) {
            handler.onError(turn.error());
          } else {
            handler.onCompleteResponse(turn.response());
          }
        });
  }

  List<ChatRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
