package io.github.mcprunner.model.openai.internal;

import com.openai.models.chat.completions.ChatCompletionChunk;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Puts a streamed chat completion together from its chunks: the first choice's content, its tool
 * calls from their fragments (the first fragment of a call carries its id and name, later ones only
 * pieces of the arguments, all under the call's index), and the usage of the last chunk. Lenient
 * where OpenAI-compatible servers differ: a call's id or name may come in any fragment.
 */
final class ChatStreamAccumulator {
  private final StringBuilder text = new StringBuilder();
  private boolean hasText;
  private final Map<Long, CallParts> calls = new TreeMap<>();
  private boolean finished;
  private Usage usage = Usage.zero();

  /** Adds a chunk; returns the text it adds, if any. */
  @Nullable String add(ChatCompletionChunk chunk) {
    chunk.usage().ifPresent(u -> usage = ChatCompletionsAdapter.usage(u));
    String delta = null;
    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
      if (choice.index() != 0) {
        continue;
      }
      ChatCompletionChunk.Choice.Delta d = choice.delta();
      String content = d.content().orElse(null);
      if (content == null) {
        content = d.refusal().orElse(null);
      }
      if (content != null) {
        text.append(content);
        hasText = true;
        delta = content;
      }
      for (ChatCompletionChunk.Choice.Delta.ToolCall fragment : d.toolCalls().orElse(List.of())) {
        CallParts parts = calls.computeIfAbsent(fragment.index(), i -> new CallParts());
        fragment.id().filter(id -> !id.isEmpty()).ifPresent(id -> parts.id = id);
        fragment
            .function()
            .ifPresent(
                function -> {
                  function.name().filter(n -> !n.isEmpty()).ifPresent(n -> parts.name = n);
                  function.arguments().ifPresent(parts.arguments::append);
                });
      }
      if (choice.finishReason().isPresent()) {
        finished = true;
      }
    }
    return delta;
  }

  /** Returns whether the first choice has finished. */
  boolean finished() {
    return finished;
  }

  /** Returns the answer put together. */
  ModelResponse response() {
    List<InputItem.ToolCall> toolCalls = new ArrayList<>();
    for (Map.Entry<Long, CallParts> entry : calls.entrySet()) {
      CallParts parts = entry.getValue();
      String id = parts.id == null ? "call_" + entry.getKey() : parts.id;
      String name = parts.name == null ? "" : parts.name;
      toolCalls.add(new InputItem.ToolCall(id, name, parts.arguments.toString()));
    }
    return new ModelResponse(hasText ? text.toString() : null, toolCalls, usage);
  }

  private static final class CallParts {
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
  }
}
