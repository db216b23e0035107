package io.github.mcprunner.model.openai;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelStreamListener;
import io.github.mcprunner.model.openai.internal.ChatCompletionsAdapter;
import io.github.mcprunner.model.openai.internal.Environment;
import java.util.Optional;

/**
 * A {@link Model} on the Chat Completions API ({@code POST /chat/completions}), through the
 * official OpenAI Java SDK: the API most OpenAI-compatible servers speak (vLLM, Ollama, LM Studio,
 * Azure OpenAI). The instructions go as a system message, the conversation as messages (an
 * assistant message holding a turn's tool calls, then one tool message per result), the MCP tools
 * as function tools with their JSON schemas unchanged. Streamed, content deltas reach the listener
 * as they arrive and tool calls are put together from their fragments; the usage is asked for with
 * {@code stream_options.include_usage}.
 *
 * <pre>{@code
 * Model model = OpenAiChatCompletionsModel.fromEnv("gpt-4.1-mini");
 * Model ollama = OpenAiChatCompletionsModel.builder("llama3.2")
 *     .baseUrl("http://localhost:11434/v1").apiKey("ollama").build();
 * }</pre>
 *
 * <p>Thread-safe: one instance serves any number of concurrent runs. Failures are thrown as {@link
 * OpenAiModelException} after the SDK's retries.
 */
public final class OpenAiChatCompletionsModel implements Model, AutoCloseable {
  private final ChatCompletionsAdapter adapter;
  private final boolean ownsClient;

  private OpenAiChatCompletionsModel(Builder builder) {
    this.ownsClient = !builder.hasClient();
    this.adapter =
        new ChatCompletionsAdapter(
            builder.clientValue(),
            builder.endpoint("Chat Completions API"),
            builder.malformedArgumentsValue(),
            builder.parallelToolCallsValue(),
            builder.legacyMaxTokens,
            builder.streamUsage);
  }

  /** Returns a builder for {@code model} (e.g. {@code "gpt-4.1-mini"}). */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /**
   * Returns the model configured from the environment as the SDK reads it ({@link
   * OpenAiModelBuilder#fromEnv()}).
   *
   * @throws IllegalStateException if no API key is set there
   */
  public static OpenAiChatCompletionsModel fromEnv(String model) {
    return builder(model).fromEnv().build();
  }

  /**
   * Returns the model configured from the environment if an API key is set there ({@code
   * OPENAI_API_KEY} or the {@code openai.apiKey} system property), else empty.
   */
  public static Optional<Model> fromEnvIfPresent(String model) {
    return fromEnvIfPresent(model, Environment.system());
  }

  static Optional<Model> fromEnvIfPresent(String model, Environment environment) {
    if (environment.apiKey().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(builder(model).fromEnv(environment).build());
  }

  @Override
  public ModelResponse respond(ModelRequest request) {
    return adapter.respond(request, null);
  }

  @Override
  public ModelResponse respondStreaming(ModelRequest request, ModelStreamListener listener) {
    return adapter.respond(request, requireNonNull(listener, "listener"));
  }

  /**
   * Refuses later calls and releases the SDK client's connections and threads if this model built
   * the client; a client handed to {@link OpenAiModelBuilder#client} is left open. Idle resources
   * are released anyway, so closing is optional. Idempotent.
   */
  @Override
  public void close() {
    adapter.close(ownsClient);
  }

  /** Returns the model name sent with every request. */
  public String modelName() {
    return adapter.endpoint().model();
  }

  /** Shows the model and the endpoint, never the key. */
  @Override
  public String toString() {
    return "OpenAiChatCompletionsModel{model="
        + adapter.endpoint().model()
        + ", endpoint="
        + adapter.endpoint().endpoint()
        + "}";
  }

  /**
   * Builds an {@link OpenAiChatCompletionsModel}; see {@link OpenAiModelBuilder} for the shared
   * settings.
   */
  public static final class Builder
      extends OpenAiModelBuilder<Builder, OpenAiChatCompletionsModel> {
    private boolean legacyMaxTokens;
    private boolean streamUsage = true;

    private Builder(String model) {
      super(model);
    }

    /**
     * Sends the output-token limit as {@code max_tokens} instead of {@code max_completion_tokens},
     * for servers that know only the older field; OpenAI's reasoning models refuse it.
     */
    public Builder legacyMaxTokens(boolean legacyMaxTokens) {
      this.legacyMaxTokens = legacyMaxTokens;
      return this;
    }

    /**
     * Sets whether a streamed request asks for the usage ({@code stream_options.include_usage});
     * default {@code true}. Turn it off for servers that refuse {@code stream_options}; the usage
     * of streamed turns is then zero.
     */
    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    @Override
    public OpenAiChatCompletionsModel build() {
      return new OpenAiChatCompletionsModel(this);
    }
  }
}
