package io.github.mcprunner.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The model's answer at one turn: output text, tool calls, or both. A response without tool calls
 * ends the run with its text as the final output.
 *
 * @param text output text, if any
 * @param toolCalls the tools to call before the next turn (empty to end the run)
 * @param usage tokens used by this turn
 */
public record ModelResponse(
    @Nullable String text, List<InputItem.ToolCall> toolCalls, Usage usage) {
  /** Copies the list and checks that no required part is null. */
  public ModelResponse {
    toolCalls = List.copyOf(toolCalls);
    requireNonNull(usage, "usage");
  }

  /** Returns a final answer with {@code text}. */
  public static ModelResponse ofText(String text) {
    return new ModelResponse(requireNonNull(text, "text"), List.of(), Usage.zero());
  }

  /** Returns a response asking for {@code calls}. */
  public static ModelResponse ofToolCalls(List<InputItem.ToolCall> calls) {
    return new ModelResponse(null, calls, Usage.zero());
  }

  /** Returns the output text, if any. */
  public Optional<String> textValue() {
    return Optional.ofNullable(text);
  }
}
