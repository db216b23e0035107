package io.github.mcprunner.model.openai;

/**
 * What a model adapter does when the model calls a tool with arguments that are not a JSON object
 * (truncated output, a stray quote): set with {@link OpenAiModelBuilder#malformedArguments}.
 */
public enum MalformedArguments {
  /**
   * The default: the call is handed to the runner unchanged. The runner does not call the tool; it
   * answers the call with a tool error saying the arguments are not a valid JSON object, so the
   * model can correct itself on its next turn (bounded by the run's maximum number of turns).
   */
  PASS_THROUGH,

  /**
   * The adapter answers the malformed call itself with a tool error and asks the model again, once,
   * within the same turn; none of that turn's calls is run. If the second answer again holds a
   * malformed call, the model call fails with {@link OpenAiModelException}.
   */
  RETRY_ONCE,

  /** The model call fails at once with {@link OpenAiModelException} naming the tool. */
  FAIL
}
