package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

/**
 * The result of a tool call through a {@link ToolboxRun}, as text for a model.
 *
 * @param output the tool's text content (other content as JSON, parts joined by newlines), or the
 *     error message
 * @param error whether the call failed: the tool reported an error, or the call was rejected
 */
public record ToolOutcome(String output, boolean error) {
  /** Checks that the output is not null. */
  public ToolOutcome {
    requireNonNull(output, "output");
  }
}
