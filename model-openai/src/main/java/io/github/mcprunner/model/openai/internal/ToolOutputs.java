package io.github.mcprunner.model.openai.internal;

import io.github.mcprunner.model.InputItem;

/** How a tool result reads to the model. */
final class ToolOutputs {
  private ToolOutputs() {}

  /**
   * Returns the output text; an error is marked so, since neither API has a field for it: {@code
   * Error: <output>}.
   */
  static String forModel(InputItem.ToolResult result) {
    return result.error() ? "Error: " + result.output() : result.output();
  }
}
