package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a run that finished.
 *
 * @param runId the run's id, as header providers saw it
 * @param finalOutput the model's final text
 * @param items what the run produced, in order: messages, tool calls and tool results
 * @param usage tokens used over all turns
 */
public record RunResult(String runId, String finalOutput, List<RunItem> items, Usage usage) {
  /** Copies the list and checks no part is null. */
  public RunResult {
    requireNonNull(runId, "runId");
    requireNonNull(finalOutput, "finalOutput");
    items = List.copyOf(items);
    requireNonNull(usage, "usage");
  }

  /** Returns the tool calls of the run, in order. */
  public List<RunItem.ToolCallItem> toolCalls() {
    List<RunItem.ToolCallItem> calls = new ArrayList<>();
    for (RunItem item : items) {
      if (item instanceof RunItem.ToolCallItem) {
        calls.add((RunItem.ToolCallItem) item);
      }
    }
    return calls;
  }

  /** Returns the tool results of the run, in order. */
  public List<RunItem.ToolResultItem> toolResults() {
    List<RunItem.ToolResultItem> results = new ArrayList<>();
    for (RunItem item : items) {
      if (item instanceof RunItem.ToolResultItem) {
        results.add((RunItem.ToolResultItem) item);
      }
    }
    return results;
  }
}
