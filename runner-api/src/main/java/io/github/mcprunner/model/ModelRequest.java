package io.github.mcprunner.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the runner asks the model at one turn.
 *
 * @param agentName the agent's name
 * @param instructions the agent's instructions (system prompt)
 * @param input the conversation so far: the user's input, then the model's messages and tool calls
 *     and their results, in order
 * @param tools the tools the model may call
 * @param settings generation settings
 */
public record ModelRequest(
    String agentName,
    String instructions,
    List<InputItem> input,
    List<ToolDefinition> tools,
    ModelSettings settings) {
  /** Copies the lists and checks that no part is null. */
  public ModelRequest {
    requireNonNull(agentName, "agentName");
    requireNonNull(instructions, "instructions");
    input = List.copyOf(input);
    tools = List.copyOf(tools);
    requireNonNull(settings, "settings");
  }
}
