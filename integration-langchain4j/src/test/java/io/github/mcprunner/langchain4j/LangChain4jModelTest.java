package io.github.mcprunner.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import io.github.mcprunner.langchain4j.internal.ProviderNames;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LangChain4jModel} on its own: which LangChain4j model serves which call, and how. */
class LangChain4jModelTest {
  private static final ModelRequest REQUEST =
      new ModelRequest(
          "agent",
          "Be brief.",
          List.of(InputItem.Message.user("hi")),
          List.of(),
          ModelSettings.defaults());

  @Test
  void tellsObserversItsProviderAndModelAsTheGenAiConventionsNameThem() {
    ChatModel claude =
        new ChatModel() {
          @Override
          public ChatResponse doChat(ChatRequest request) {
            throw new UnsupportedOperationException();
          }

          @Override
          public ModelProvider provider() {
            return ModelProvider.ANTHROPIC;
          }

          @Override
          public ChatRequestParameters defaultRequestParameters() {
            return ChatRequestParameters.builder().modelName("claude-sonnet-4").build();
          }
        };
    assertThat(LangChain4jModel.of(claude).providerName()).contains("anthropic");
    assertThat(LangChain4jModel.of(claude).requestModel()).contains("claude-sonnet-4");
    // A model that names neither (ChatModel's defaults: OTHER, no model name) tells nothing.
    assertThat(LangChain4jModel.of(new ScriptedChatModel()).providerName()).isEmpty();
    assertThat(LangChain4jModel.of(new ScriptedChatModel()).requestModel()).isEmpty();
    for (ModelProvider provider : ModelProvider.values()) {
      if (provider != ModelProvider.OTHER) {
        assertThat(ProviderNames.of(provider))
            .as(provider.name())
            .get()
            .asString()
            .matches("[a-z][a-z._]*");
      }
    }
    assertThat(ProviderNames.of(ModelProvider.OPEN_AI)).contains("openai");
    assertThat(ProviderNames.of(ModelProvider.AMAZON_BEDROCK)).contains("aws.bedrock");
  }

  @Test
  void aStreamingModelAloneServesPlainCallsByCollectingTheStream() {
    ScriptedStreamingChatModel streaming =
        new ScriptedStreamingChatModel(Runnable::run)
            .then(
                List.of("He", "llo"),
                ScriptedChatModel.response(AiMessage.from("Hello"), FinishReason.STOP));

    ModelResponse response = LangChain4jModel.of(streaming).respond(REQUEST);

    assertThat(response.text()).isEqualTo("Hello");
    assertThat(response.usage()).isEqualTo(new Usage(100, 20));
    assertThat(streaming.requests()).hasSize(1);
  }

  @Test
  void aStreamThatDoesNotDeliverItsPartsStillReportsItsTextOnce() {
    ScriptedStreamingChatModel streaming =
        new ScriptedStreamingChatModel(Runnable::run)
            .then(List.of(), ScriptedChatModel.response(AiMessage.from("All"), FinishReason.STOP));
    List<String> deltas = new ArrayList<>();

    LangChain4jModel.of(streaming).respondStreaming(REQUEST, deltas::add);

    assertThat(deltas).containsExactly("All");
  }

  @Test
  void aStreamThatNeverEndsFailsAfterTheStreamingTimeout() {
    StreamingChatModel silent =
        new StreamingChatModel() {
          @Override
          public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {}
        };
    LangChain4jModel model =
        LangChain4jModel.builder()
            .streamingModel(silent)
            .streamingTimeout(Duration.ofMillis(50))
            .build();

    assertThatThrownBy(() -> model.respondStreaming(REQUEST, delta -> {}))
        .isInstanceOf(LangChain4jModelException.class)
        .hasMessageContaining("did not finish its streamed response within PT0.05S");
  }

  @Test
  void theListenersOwnFailureIsThrownAsItIs() {
    ScriptedStreamingChatModel streaming =
        new ScriptedStreamingChatModel(Runnable::run)
            .then(List.of("x"), ScriptedChatModel.response(AiMessage.from("x"), FinishReason.STOP));
    IllegalStateException failure = new IllegalStateException("listener");

    assertThatThrownBy(
            () ->
                LangChain4jModel.of(streaming)
                    .respondStreaming(
                        REQUEST,
                        delta -> {
                          throw failure;
                        }))
        .isSameAs(failure);
  }

  @Test
  void buildingWithoutAModelIsRefused() {
    assertThatThrownBy(() -> LangChain4jModel.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chatModel");
    assertThatThrownBy(() -> LangChain4jModel.builder().streamingTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
