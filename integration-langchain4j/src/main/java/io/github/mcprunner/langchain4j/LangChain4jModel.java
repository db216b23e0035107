package io.github.mcprunner.langchain4j;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.mcprunner.langchain4j.internal.Conversations;
import io.github.mcprunner.langchain4j.internal.Failures;
import io.github.mcprunner.langchain4j.internal.ProviderNames;
import io.github.mcprunner.langchain4j.internal.StreamCollector;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelStreamListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A runner {@link Model} over a LangChain4j {@link ChatModel} and/or {@link StreamingChatModel}, so
 * the runner's agent loop can use any model provider LangChain4j supports (OpenAI, Anthropic,
 * Gemini, Ollama, Bedrock, ...).
 *
 * <pre>{@code
 * ChatModel chatModel = OpenAiChatModel.builder().apiKey(key).modelName("gpt-4.1-mini").build();
 * Agent agent = Agent.builder("support")
 *     .model(LangChain4jModel.of(chatModel))
 *     .mcpServer(McpServerSpec.builder("crm", crmUrl).build())
 *     .build();
 * }</pre>
 *
 * <p>Each turn becomes one {@link ChatRequest}: the agent's instructions as a system message, the
 * conversation as user, AI (text and tool calls) and tool-result messages, the tools as {@code
 * ToolSpecification}s whose parameters are an exact translation of the tools' JSON schemas, and the
 * agent's temperature, maximum output tokens and tool choice. Tool-call arguments and tool results
 * pass unchanged, byte for byte. A tool choice naming one tool, which LangChain4j cannot express,
 * is sent as that tool alone with {@code ToolChoice.REQUIRED}.
 *
 * <p>{@link #respond} uses the {@code ChatModel} (or, when only a streaming model was given, the
 * streaming model without a listener); {@link #respondStreaming} uses the {@code
 * StreamingChatModel} and reports its partial responses as text deltas (or, when only a {@code
 * ChatModel} was given, reports the whole text once).
 *
 * <p>Thread-safe when the LangChain4j models are (LangChain4j's provider models are). Failures are
 * thrown as {@link LangChain4jModelException}, whose message never holds a key or header value.
 */
public final class LangChain4jModel implements Model {
  private final @Nullable ChatModel chatModel;
  private final @Nullable StreamingChatModel streamingModel;
  private final @Nullable Duration streamingTimeout;
  private final String name;

  private LangChain4jModel(Builder builder) {
    this.chatModel = builder.chatModel;
    this.streamingModel = builder.streamingModel;
    this.streamingTimeout = builder.streamingTimeout;
    Object named = chatModel != null ? chatModel : requireNonNull(streamingModel);
    this.name = named.getClass().getSimpleName();
  }

  /** Returns a model over {@code chatModel}; streamed runs get its whole text as one delta. */
  public static LangChain4jModel of(ChatModel chatModel) {
    return builder().chatModel(chatModel).build();
  }

  /** Returns a model over {@code streamingModel}, for plain and streamed runs alike. */
  public static LangChain4jModel of(StreamingChatModel streamingModel) {
    return builder().streamingModel(streamingModel).build();
  }

  /**
   * Returns a model over both: {@code chatModel} for plain runs, {@code streamingModel} for
   * streamed ones.
   */
  public static LangChain4jModel of(ChatModel chatModel, StreamingChatModel streamingModel) {
    return builder().chatModel(chatModel).streamingModel(streamingModel).build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the provider of the LangChain4j model ({@code ChatModel.provider()}) as the
   * OpenTelemetry GenAI conventions name it ({@code openai}, {@code anthropic}, {@code
   * aws.bedrock}, ...; a provider they do not name in lower case, such as {@code ollama}); none for
   * {@code OTHER}.
   */
  @Override
  public Optional<String> providerName() {
    ChatModel chat = chatModel;
    StreamingChatModel streaming = streamingModel;
    try {
      return ProviderNames.of(
          chat != null ? chat.provider() : requireNonNull(streaming).provider());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Returns the model name of the LangChain4j model's default request parameters, if set. */
  @Override
  public Optional<String> requestModel() {
    ChatModel chat = chatModel;
    StreamingChatModel streaming = streamingModel;
    try {
      ChatRequestParameters parameters =
          chat != null
              ? chat.defaultRequestParameters()
              : requireNonNull(streaming).defaultRequestParameters();
      return parameters == null ? Optional.empty() : Optional.ofNullable(parameters.modelName());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws LangChain4jModelException when the model fails or a tool's schema cannot be expressed
   */
  @Override
  public ModelResponse respond(ModelRequest request) {
    requireNonNull(request, "request");
    String where = where(request);
    ChatRequest chat = Conversations.toChatRequest(request, where);
    ChatModel model = chatModel;
    if (model == null) {
      return streamed(chat, delta -> {}, where);
    }
    ChatResponse response;
    try {
      response = model.chat(chat);
    } catch (RuntimeException e) {
      throw Failures.translate(e, where);
    }
    return Conversations.toModelResponse(requireResponse(response, where), where);
  }

  /**
   * {@inheritDoc}
   *
   * @throws LangChain4jModelException when the model fails, its stream does not end within the
   *     streaming timeout, or a tool's schema cannot be expressed
   */
  @Override
  public ModelResponse respondStreaming(ModelRequest request, ModelStreamListener listener) {
    requireNonNull(request, "request");
    requireNonNull(listener, "listener");
    if (streamingModel == null) {
      ModelResponse response = respond(request);
      response.textValue().filter(t -> !t.isEmpty()).ifPresent(listener::onTextDelta);
      return response;
    }
    String where = where(request);
    return streamed(Conversations.toChatRequest(request, where), listener, where);
  }

  private ModelResponse streamed(ChatRequest chat, ModelStreamListener listener, String where) {
    StreamingChatModel model = requireNonNull(streamingModel);
    StreamCollector collector = new StreamCollector(listener);
    try {
      model.chat(chat, collector);
    } catch (RuntimeException e) {
      throw Failures.translate(e, where);
    }
    ChatResponse response;
    try {
      response =
          streamingTimeout == null
              ? collector.result().get()
              : collector.result().get(streamingTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw Failures.translate(cause, where);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new LangChain4jModelException(
          where + " did not finish its streamed response within " + streamingTimeout, 0, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LangChain4jModelException(
          where + " was interrupted while waiting for its streamed response", 0, null);
    } catch (CancellationException e) {
      throw new LangChain4jModelException(where + " streamed response was cancelled", 0, null);
    }
    RuntimeException listenerFailure = collector.listenerFailure();
    if (listenerFailure != null) {
      throw listenerFailure;
    }
    ModelResponse result = Conversations.toModelResponse(requireResponse(response, where), where);
    if (!collector.deliveredText()) {
      result.textValue().filter(t -> !t.isEmpty()).ifPresent(listener::onTextDelta);
    }
    return result;
  }

  private static ChatResponse requireResponse(@Nullable ChatResponse response, String where) {
    if (response == null) {
      throw new LangChain4jModelException(where + " answered with no response", 0, null);
    }
    return response;
  }

  private String where(ModelRequest request) {
    return "LangChain4j model " + name + " for agent '" + request.agentName() + "'";
  }

  /** Shows the LangChain4j model classes, never their configuration. */
  @Override
  public String toString() {
    return "LangChain4jModel{chatModel="
        + (chatModel == null ? "none" : chatModel.getClass().getSimpleName())
        + ", streamingModel="
        + (streamingModel == null ? "none" : streamingModel.getClass().getSimpleName())
        + "}";
  }

  /** Builds a {@link LangChain4jModel}; give a chat model, a streaming model, or both. */
  public static final class Builder {
    private @Nullable ChatModel chatModel;
    private @Nullable StreamingChatModel streamingModel;
    private @Nullable Duration streamingTimeout;

    private Builder() {}

    /** Sets the model for plain (not streamed) turns. */
    public Builder chatModel(ChatModel chatModel) {
      this.chatModel = requireNonNull(chatModel, "chatModel");
      return this;
    }

    /** Sets the model for streamed turns (and for plain ones when no chat model is set). */
    public Builder streamingModel(StreamingChatModel streamingModel) {
      this.streamingModel = requireNonNull(streamingModel, "streamingModel");
      return this;
    }

    /**
     * Sets how long a streamed turn may take in all before it fails; unset (the default), the
     * provider's own timeouts bound it.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder streamingTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("streamingTimeout must be positive");
      }
      this.streamingTimeout = timeout;
      return this;
    }

    /**
     * Returns the model.
     *
     * @throws IllegalStateException if neither a chat model nor a streaming model was set
     */
    public LangChain4jModel build() {
      if (chatModel == null && streamingModel == null) {
        throw new IllegalStateException("set a chatModel, a streamingModel, or both");
      }
      return new LangChain4jModel(this);
    }
  }
}
