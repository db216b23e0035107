package io.github.mcprunner.model.openai;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelStreamListener;
import io.github.mcprunner.model.openai.internal.Environment;
import io.github.mcprunner.model.openai.internal.ResponsesAdapter;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Model} on OpenAI's Responses API ({@code POST /responses}), through the official OpenAI
 * Java SDK. Every turn sends the whole conversation (instructions, messages, function calls and
 * their outputs) and, by default, asks the API not to store it ({@code store: false}); the MCP
 * tools go as function tools with their JSON schemas unchanged ({@code strict: false}). Streamed,
 * output text deltas reach the listener as they arrive.
 *
 * <pre>{@code
 * Model model = OpenAiResponsesModel.fromEnv("gpt-4.1-mini");   // OPENAI_API_KEY, OPENAI_BASE_URL
 * Model local = OpenAiResponsesModel.builder("qwen3")
 *     .baseUrl("http://localhost:8000/v1").apiKey("unused").maxRetries(1).build();
 * }</pre>
 *
 * <p>Thread-safe: one instance serves any number of concurrent runs. Failures are thrown as {@link
 * OpenAiModelException} after the SDK's retries.
 */
public final class OpenAiResponsesModel implements Model, AutoCloseable {
  private final ResponsesAdapter adapter;
  private final boolean ownsClient;

  private OpenAiResponsesModel(Builder builder) {
    this.ownsClient = !builder.hasClient();
    this.adapter =
        new ResponsesAdapter(
            builder.clientValue(),
            builder.endpoint("Responses API"),
            builder.malformedArgumentsValue(),
            builder.parallelToolCallsValue(),
            builder.store);
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
  public static OpenAiResponsesModel fromEnv(String model) {
    return builder(model).fromEnv().build();
  }

  /**
   * Returns the model configured from the environment if an API key is set there ({@code
   * OPENAI_API_KEY} or the {@code openai.apiKey} system property), else empty: for demos and tests
   * that fall back to a scripted model.
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
    return "OpenAiResponsesModel{model="
        + adapter.endpoint().model()
        + ", endpoint="
        + adapter.endpoint().endpoint()
        + "}";
  }

  /**
   * Builds an {@link OpenAiResponsesModel}; see {@link OpenAiModelBuilder} for the shared settings.
   */
  public static final class Builder extends OpenAiModelBuilder<Builder, OpenAiResponsesModel> {
    private @Nullable Boolean store = Boolean.FALSE;

    private Builder(String model) {
      super(model);
    }

    /**
     * Sets whether OpenAI stores the responses (for the dashboard, evals or {@code
     * previous_response_id}); default {@code false}, since every turn carries the whole
     * conversation anyway. Some OpenAI-compatible servers reject the field: {@link #omitStore()}.
     */
    public Builder store(boolean store) {
      this.store = store;
      return this;
    }

    /** Leaves {@code store} out of the requests, for servers that do not know it. */
    public Builder omitStore() {
      this.store = null;
      return this;
    }

    @Override
    public OpenAiResponsesModel build() {
      return new OpenAiResponsesModel(this);
    }
  }
}
