package io.github.mcprunner.model.openai;

import static io.github.mcprunner.model.openai.Conversations.TEST_KEY;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.jsonFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.sseFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Chat Completions adapter against a loopback server speaking the documented wire format. */
class OpenAiChatCompletionsModelTest {
  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    openAi.close();
  }

  private OpenAiChatCompletionsModel.Builder builder() {
    return OpenAiChatCompletionsModel.builder("gpt-4.1-mini")
        .apiKey(TEST_KEY)
        .baseUrl(openAi.baseUrl())
        .maxRetries(0);
  }

  @Test
  void sendsSystemMessageConversationToolsAndSettingsFieldByField() throws Exception {
    openAi.enqueue(jsonFixture("chat/text.json"));
    builder().build().respond(Conversations.everyItem(new ModelSettings(0.7, 256, "required")));

    FakeOpenAiServer.Call call = openAi.call(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/v1/chat/completions");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + TEST_KEY);
    JsonNode body = call.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(256);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.path("tool_choice").asText()).isEqualTo("required");
    assertThat(body.has("stream")).isFalse();
    assertThat(body.has("stream_options")).isFalse();
    assertThat(body.has("parallel_tool_calls")).isFalse();

    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(7);
    assertThat(messages.get(0))
        .isEqualTo(JSON.readTree("{\"role\":\"system\",\"content\":\"You help support agents.\"}"));
    assertThat(messages.get(1))
        .isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"Which tickets are open?\"}"));
    assertThat(messages.get(2))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":["
                    + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"whoami\","
                    + "\"arguments\":\"{}\"}},"
                    + "{\"id\":\"call_2\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"list_tickets\","
                    + "\"arguments\":\"{\\\"status\\\":\\\"open\\\"}\"}}]}"));
    assertThat(messages.get(3))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                    + "\"content\":\"{\\\"tenant\\\":\\\"acme\\\"}\"}"));
    assertThat(messages.get(4))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"tool\",\"tool_call_id\":\"call_2\","
                    + "\"content\":\"Error: backend unavailable\"}"));
    assertThat(messages.get(5))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"assistant\",\"content\":\"The ticket list is unavailable.\"}"));
    assertThat(messages.get(6))
        .isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"Try again.\"}"));

    JsonNode tools = body.path("tools");
    assertThat(tools).hasSize(2);
    assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
    JsonNode function = tools.get(0).path("function");
    assertThat(function.path("name").asText()).isEqualTo("list_tickets");
    assertThat(function.path("description").asText()).isEqualTo("Lists the tenant's tickets.");
    assertThat(function.path("parameters")).isEqualTo(JSON.readTree(Conversations.TICKETS_SCHEMA));
    assertThat(function.has("strict")).isFalse();
    assertThat(tools.get(1).path("function").path("parameters"))
        .isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
  }

  @Test
  void toolCallsWithoutPrecedingTextMakeAnAssistantMessageWithoutContent() throws Exception {
    openAi.enqueue(jsonFixture("chat/text.json"));
    builder()
        .build()
        .respond(
            new io.github.mcprunner.model.ModelRequest(
                "support",
                "",
                List.of(
                    InputItem.Message.user("hi"),
                    new InputItem.ToolCall("c1", "whoami", "{}"),
                    new InputItem.ToolResult("c1", "whoami", "acme", false)),
                List.of(Conversations.WHOAMI),
                ModelSettings.defaults()));

    JsonNode messages = openAi.call(0).json().path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).has("content")).isFalse();
    assertThat(messages.get(1).path("tool_calls")).hasSize(1);
    assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
  }

  @Test
  void namedToolChoiceParallelFlagAndLegacyMaxTokens() throws Exception {
    openAi.enqueue(jsonFixture("chat/text.json"));
    builder()
        .parallelToolCalls(true)
        .legacyMaxTokens(true)
        .build()
        .respond(Conversations.withTools("hi", new ModelSettings(null, 64, "whoami")));

    JsonNode body = openAi.call(0).json();
    assertThat(body.path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"whoami\"}}"));
    assertThat(body.path("parallel_tool_calls").asBoolean(false)).isTrue();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.has("max_completion_tokens")).isFalse();
  }

  @Test
  void readsTheAnswerTextAndUsage() {
    openAi.enqueue(jsonFixture("chat/text.json"));
    ModelResponse response = builder().build().respond(Conversations.question("Who am I?"));

    assertThat(response.text()).isEqualTo("You are signed in as the acme tenant.");
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.usage()).isEqualTo(new Usage(19, 10));
  }

  @Test
  void readsParallelToolCallsInOrderWithTheirArgumentsAsSent() {
    openAi.enqueue(jsonFixture("chat/tool-calls.json"));
    ModelResponse response =
        builder().build().respond(Conversations.withTools("hi", ModelSettings.defaults()));

    assertThat(response.text()).isNull();
    assertThat(response.toolCalls())
        .containsExactly(
            new InputItem.ToolCall("call_abc123", "whoami", "{}"),
            new InputItem.ToolCall("call_def456", "add", "{\n\"a\": 2,\n\"b\": 3\n}"));
    assertThat(response.usage()).isEqualTo(new Usage(82, 17));
  }

  @Test
  void streamsContentDeltasAndAsksForTheUsage() {
    openAi.enqueue(sseFixture("chat/stream-text.sse"));
    List<String> deltas = new ArrayList<>();
    ModelResponse response =
        builder().build().respondStreaming(Conversations.question("hi"), deltas::add);

    assertThat(deltas).containsExactly("Hello", " from", " acme.");
    assertThat(response.text()).isEqualTo("Hello from acme.");
    assertThat(response.usage()).isEqualTo(new Usage(25, 4));
    JsonNode body = openAi.call(0).json();
    assertThat(body.path("stream").asBoolean(false)).isTrue();
    assertThat(body.path("stream_options"))
        .isEqualTo(FakeOpenAiServer.JSON.createObjectNode().put("include_usage", true));
  }

  @Test
  void streamedToolCallsArePutTogetherFromTheirFragments() {
    openAi.enqueue(sseFixture("chat/stream-tool-calls.sse"));
    List<String> deltas = new ArrayList<>();
    ModelResponse response =
        builder()
            .build()
            .respondStreaming(Conversations.withTools("hi", ModelSettings.defaults()), deltas::add);

    assertThat(deltas).isEmpty();
    assertThat(response.text()).isNull();
    assertThat(response.toolCalls())
        .containsExactly(
            new InputItem.ToolCall("call_s1", "whoami", "{}"),
            new InputItem.ToolCall("call_s2", "add", "{\"a\": 2, \"b\": 3}"));
    assertThat(response.usage()).isEqualTo(new Usage(90, 30));
  }

  @Test
  void streamUsageCanBeTurnedOffForServersThatRefuseStreamOptions() {
    openAi.enqueue(sseFixture("chat/stream-text.sse"));
    builder().streamUsage(false).build().respondStreaming(Conversations.question("hi"), d -> {});

    assertThat(openAi.call(0).json().has("stream_options")).isFalse();
  }

  @Test
  void streamEndingBeforeTheFinishReasonFailsClearly() {
    openAi.enqueue(sseFixture("chat/stream-truncated.sse"));
    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), d -> {}))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("OpenAI Chat Completions API at " + openAi.baseUrl())
        .hasMessageContaining("before the answer was finished");
  }

  @Test
  void errorInTheStreamFailsWithItsType() {
    openAi.enqueue(sseFixture("chat/stream-error.sse"));
    List<String> deltas = new ArrayList<>();
    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), deltas::add))
        .isInstanceOfSatisfying(
            OpenAiModelException.class, e -> assertThat(e.errorCode()).contains("server_error"))
        .hasMessageContaining("reported an error in its event stream (server_error)")
        .hasMessageContaining("The server had an error while processing your request.");
    assertThat(deltas).containsExactly("Hi");
  }
}
