package io.github.mcprunner.langchain4j.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.mcprunner.model.ModelStreamListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Receives one streamed LangChain4j response: text deltas go to the runner's listener as they
 * arrive; the complete response or the error completes {@link #result()}. A failure of the listener
 * itself stops the forwarding and is reported as it is, untranslated.
 */
public final class StreamCollector implements StreamingChatResponseHandler {
  private final ModelStreamListener listener;
  private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
  private final AtomicBoolean delivered = new AtomicBoolean();
  private volatile @Nullable RuntimeException listenerFailure;

  /** Creates the collector reporting to {@code listener}. */
  public StreamCollector(ModelStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public void onPartialResponse(String partialResponse) {
    if (partialResponse == null || partialResponse.isEmpty() || listenerFailure != null) {
      return;
    }
    delivered.set(true);
    try {
      listener.onTextDelta(partialResponse);
    } catch (RuntimeException e) {
      listenerFailure = e;
    }
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    result.complete(completeResponse);
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  /** Completes with the response, or exceptionally with the model's error. */
  public CompletableFuture<ChatResponse> result() {
    return result;
  }

  /** Returns whether any text delta reached the listener. */
  public boolean deliveredText() {
    return delivered.get();
  }

  /** Returns the listener's own failure, if it threw. */
  public @Nullable RuntimeException listenerFailure() {
    return listenerFailure;
  }
}
