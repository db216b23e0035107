package io.github.mcprunner.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.mcprunner.langchain4j.LangChain4jModelException;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationsTest {
  private static final String WHERE = "LangChain4j model Test for agent 'a'";

  @Test
  void anAssistantTextAndTheCallsThatFollowItMakeOneAiMessage() {
    ModelRequest request =
        new ModelRequest(
            "a",
            " ",
            List.of(
                InputItem.Message.user("hi"),
                InputItem.Message.assistant("Let me look."),
                new InputItem.ToolCall("1", "x", "{ }"),
                new InputItem.ToolCall("2", "y", "{\"k\":1}"),
                new InputItem.ToolResult("1", "x", "one", false),
                new InputItem.ToolResult("2", "y", "boom", true),
                InputItem.Message.assistant("Done.")),
            List.of(),
            ModelSettings.defaults());

    List<ChatMessage> messages = Conversations.toChatRequest(request, WHERE).messages();

    // Blank instructions: no system message.
    assertThat(messages).hasSize(5);
    assertThat(messages.get(0)).isEqualTo(UserMessage.from("hi"));
    AiMessage turn = (AiMessage) messages.get(1);
    assertThat(turn.text()).isEqualTo("Let me look.");
    assertThat(turn.toolExecutionRequests())
        .extracting(ToolExecutionRequest::arguments)
        .containsExactly("{ }", "{\"k\":1}");
    assertThat(((ToolExecutionResultMessage) messages.get(3)).isError()).isTrue();
    assertThat(((ToolExecutionResultMessage) messages.get(3)).text()).isEqualTo("boom");
    assertThat(messages.get(4)).isEqualTo(AiMessage.from("Done."));
  }

  @Test
  void responseKeepsArgumentsAndFillsWhatAProviderLeftOut() {
    ChatResponse response =
        ChatResponse.builder()
            .aiMessage(
                AiMessage.from(
                    List.of(
                        ToolExecutionRequest.builder()
                            .id("c")
                            .name("x")
                            .arguments(" {\"a\" :1} ")
                            .build(),
                        ToolExecutionRequest.builder().name("y").build())))
            .tokenUsage(new TokenUsage(7, null))
            .build();

    ModelResponse mapped = Conversations.toModelResponse(response, WHERE);

    assertThat(mapped.text()).isNull();
    assertThat(mapped.toolCalls().get(0))
        .isEqualTo(new InputItem.ToolCall("c", "x", " {\"a\" :1} "));
    assertThat(mapped.toolCalls().get(1).callId()).startsWith("lc4j_");
    assertThat(mapped.toolCalls().get(1).argumentsJson()).isEqualTo("{}");
    assertThat(mapped.usage()).isEqualTo(new Usage(7, 0));
  }

  @Test
  void aToolChoiceNamingAnUnknownToolIsRefused() {
    ModelRequest request =
        new ModelRequest(
            "a",
            "",
            List.of(InputItem.Message.user("hi")),
            List.of(new ToolDefinition("x", "", "{}")),
            new ModelSettings(null, null, "nope"));

    assertThatThrownBy(() -> Conversations.toChatRequest(request, WHERE))
        .isInstanceOf(LangChain4jModelException.class)
        .hasMessageContaining("tool 'nope'");
    ChatRequest none =
        Conversations.toChatRequest(
            new ModelRequest(
                "a", "", request.input(), request.tools(), new ModelSettings(null, null, "none")),
            WHERE);
    assertThat(none.toolSpecifications()).hasSize(1);
  }

  @Test
  void failuresNeverCarryTheProvidersTextForAuthenticationButDoForBadRequests() {
    LangChain4jModelException auth =
        Failures.translate(
            new AuthenticationException(new HttpException(403, "key sk-abc is not allowed")),
            WHERE);
    assertThat(auth.getMessage()).doesNotContain("sk-abc").contains("HTTP 403");
    assertThat(auth.getCause()).isNull();

    LangChain4jModelException bad =
        Failures.translate(
            new InvalidRequestException(new HttpException(400, "Invalid schema for function 'x'")),
            WHERE);
    assertThat(bad.getMessage())
        .isEqualTo(WHERE + " rejected the request (HTTP 400): Invalid schema for function 'x'");
    assertThat(bad.statusCode()).hasValue(400);

    LangChain4jModelException other =
        Failures.translate(new IllegalStateException("token=sk-zzz"), WHERE);
    assertThat(other.getMessage()).isEqualTo(WHERE + " failed (IllegalStateException)");
  }
}
