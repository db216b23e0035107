package io.github.mcprunner.model;

import java.util.Optional;

/**
 * A language model the runner drives: one request (instructions, conversation items, tool
 * definitions, settings) in, one response (output text and/or tool calls) out.
 *
 * <p>Implementations are called concurrently by many runs and must be thread-safe. A failure is
 * reported by throwing (wrap it in {@link io.github.mcprunner.McpRunnerException} with a message
 * that holds no secret); the run then fails.
 */
public interface Model {

  /** Returns the model's response to {@code request}. */
  ModelResponse respond(ModelRequest request);

  /**
   * Returns the model's response to {@code request}, reporting output text to {@code listener} as
   * it is produced. The default calls {@link #respond(ModelRequest)} and reports the whole text as
   * one delta.
   */
  default ModelResponse respondStreaming(ModelRequest request, ModelStreamListener listener) {
    ModelResponse response = respond(request);
    response.textValue().ifPresent(listener::onTextDelta);
    return response;
  }

  /**
   * Returns the name of the model's provider as the OpenTelemetry GenAI semantic conventions spell
   * it ({@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, {@code aws.bedrock},
   * {@code gcp.gemini}, ...), for observers. The default tells none.
   */
  default Optional<String> providerName() {
    return Optional.empty();
  }

  /**
   * Returns the name of the model requests go to ({@code gen_ai.request.model}), for observers. The
   * default tells none.
   */
  default Optional<String> requestModel() {
    return Optional.empty();
  }
}
