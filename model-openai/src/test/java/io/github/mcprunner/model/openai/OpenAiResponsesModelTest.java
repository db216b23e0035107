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

/** The Responses API adapter against a loopback server speaking the documented wire format. */
class OpenAiResponsesModelTest {
  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    openAi.close();
  }

  private OpenAiResponsesModel.Builder builder() {
    return OpenAiResponsesModel.builder("gpt-4.1-mini")
        .apiKey(TEST_KEY)
        .baseUrl(openAi.baseUrl())
        .maxRetries(0);
  }

  @Test
  void sendsInstructionsConversationToolsAndSettingsFieldByField() throws Exception {
    openAi.enqueue(jsonFixture("responses/text.json"));
    builder().build().respond(Conversations.everyItem(new ModelSettings(0.2, 300, "required")));

    FakeOpenAiServer.Call call = openAi.call(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/v1/responses");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + TEST_KEY);
    assertThat(call.header("Content-Type")).startsWith("application/json");
    JsonNode body = call.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(body.path("instructions").asText()).isEqualTo("You help support agents.");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("max_output_tokens").asInt()).isEqualTo(300);
    assertThat(body.path("tool_choice").asText()).isEqualTo("required");
    assertThat(body.path("store").isBoolean()).isTrue();
    assertThat(body.path("store").asBoolean()).isFalse();
    assertThat(body.has("stream")).isFalse();
    assertThat(body.has("parallel_tool_calls")).isFalse();

    JsonNode input = body.path("input");
    assertThat(input).hasSize(8);
    assertThat(input.get(0))
        .isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"Which tickets are open?\"}"));
    assertThat(input.get(1))
        .isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":\"Let me look.\"}"));
    assertThat(input.get(2))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"whoami\","
                    + "\"arguments\":\"{}\"}"));
    assertThat(input.get(3).path("call_id").asText()).isEqualTo("call_2");
    assertThat(input.get(3).path("arguments").asText()).isEqualTo("{\"status\":\"open\"}");
    assertThat(input.get(4))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"function_call_output\",\"call_id\":\"call_1\","
                    + "\"output\":\"{\\\"tenant\\\":\\\"acme\\\"}\"}"));
    assertThat(input.get(5))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"function_call_output\",\"call_id\":\"call_2\","
                    + "\"output\":\"Error: backend unavailable\"}"));
    assertThat(input.get(6).path("role").asText()).isEqualTo("assistant");
    assertThat(input.get(7).path("content").asText()).isEqualTo("Try again.");

    JsonNode tools = body.path("tools");
    assertThat(tools).hasSize(2);
    assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
    assertThat(tools.get(0).path("name").asText()).isEqualTo("list_tickets");
    assertThat(tools.get(0).path("description").asText()).isEqualTo("Lists the tenant's tickets.");
    assertThat(tools.get(0).path("strict").asBoolean(true)).isFalse();
    assertThat(tools.get(0).path("parameters"))
        .isEqualTo(JSON.readTree(Conversations.TICKETS_SCHEMA));
    assertThat(fieldNames(tools.get(0).path("parameters")))
        .containsExactly("type", "properties", "required", "additionalProperties", "$schema");
    assertThat(tools.get(1).path("parameters")).isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
  }

  @Test
  void namedToolChoiceAndParallelFlagAreSentWithTools() throws Exception {
    openAi.enqueue(jsonFixture("responses/text.json"));
    builder()
        .parallelToolCalls(false)
        .build()
        .respond(Conversations.withTools("hi", new ModelSettings(null, null, "whoami")));

    JsonNode body = openAi.call(0).json();
    assertThat(body.path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"function\",\"name\":\"whoami\"}"));
    assertThat(body.path("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("max_output_tokens")).isFalse();
  }

  @Test
  void withoutToolsNoToolFieldIsSent() {
    openAi.enqueue(jsonFixture("responses/text.json"));
    builder()
        .parallelToolCalls(true)
        .build()
        .respond(
            new io.github.mcprunner.model.ModelRequest(
                "support",
                "",
                List.of(InputItem.Message.user("hi")),
                List.of(),
                new ModelSettings(null, null, "auto")));

    JsonNode body = openAi.call(0).json();
    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.has("parallel_tool_calls")).isFalse();
    assertThat(body.has("instructions")).isFalse();
  }

  @Test
  void storeCanBeTurnedOnOrLeftOut() {
    openAi.enqueue(jsonFixture("responses/text.json"), jsonFixture("responses/text.json"));
    builder().store(true).build().respond(Conversations.question("hi"));
    builder().omitStore().build().respond(Conversations.question("hi"));

    assertThat(openAi.call(0).json().path("store").asBoolean(false)).isTrue();
    assertThat(openAi.call(1).json().has("store")).isFalse();
  }

  @Test
  void readsTheAnswerTextAndUsage() {
    openAi.enqueue(jsonFixture("responses/text.json"));
    ModelResponse response = builder().build().respond(Conversations.question("Who am I?"));

    assertThat(response.text()).isEqualTo("You are signed in as the acme tenant.");
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.usage()).isEqualTo(new Usage(36, 87));
  }

  @Test
  void readsParallelFunctionCallsInOrderWithTheirArgumentsAsSent() {
    openAi.enqueue(jsonFixture("responses/function-calls.json"));
    ModelResponse response =
        builder().build().respond(Conversations.withTools("hi", ModelSettings.defaults()));

    assertThat(response.text()).isNull();
    assertThat(response.toolCalls())
        .containsExactly(
            new InputItem.ToolCall("call_unLAR8MvFNptuiZK6K6HCy5k", "whoami", "{}"),
            new InputItem.ToolCall("call_9xYzK2pQ7wLmN4vB8cD1eF3g", "add", "{\"a\":2,\"b\":3}"));
    assertThat(response.usage()).isEqualTo(new Usage(291, 42));
  }

  @Test
  void streamsTextDeltasInOrderAndReturnsTheCompletedResponse() {
    openAi.enqueue(sseFixture("responses/stream-text.sse"));
    List<String> deltas = new ArrayList<>();
    ModelResponse response =
        builder().build().respondStreaming(Conversations.question("hi"), deltas::add);

    assertThat(deltas).containsExactly("Hello", " from", " acme.");
    assertThat(response.text()).isEqualTo("Hello from acme.");
    assertThat(response.usage()).isEqualTo(new Usage(40, 9));
    JsonNode body = openAi.call(0).json();
    assertThat(body.path("stream").asBoolean(false)).isTrue();
  }

  @Test
  void streamedFunctionCallComesBackWhole() {
    openAi.enqueue(sseFixture("responses/stream-function-call.sse"));
    List<String> deltas = new ArrayList<>();
    ModelResponse response =
        builder()
            .build()
            .respondStreaming(Conversations.withTools("hi", ModelSettings.defaults()), deltas::add);

    assertThat(deltas).isEmpty();
    assertThat(response.text()).isNull();
    assertThat(response.toolCalls())
        .containsExactly(
            new InputItem.ToolCall("call_stream_whoami", "whoami", "{\"verbose\":true}"));
    assertThat(response.usage()).isEqualTo(new Usage(80, 12));
  }

  @Test
  void streamWithoutCompletedEventFailsClearly() {
    openAi.enqueue(sseFixture("responses/stream-truncated.sse"));
    List<String> deltas = new ArrayList<>();
    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), deltas::add))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("OpenAI Responses API at " + openAi.baseUrl())
        .hasMessageContaining("model 'gpt-4.1-mini', agent 'support'")
        .hasMessageContaining("without a response.completed event");
    assertThat(deltas).containsExactly("Hello", " from", " acme.");
  }

  @Test
  void failedResponseEventFailsWithItsCode() {
    openAi.enqueue(sseFixture("responses/stream-failed.sse"));
    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), d -> {}))
        .isInstanceOfSatisfying(
            OpenAiModelException.class, e -> assertThat(e.errorCode()).contains("server_error"))
        .hasMessageContaining("failed to produce a response (server_error)");
  }

  @Test
  void errorEventInTheStreamFailsWithItsCode() {
    openAi.enqueue(sseFixture("responses/stream-error.sse"));
    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), d -> {}))
        .isInstanceOfSatisfying(
            OpenAiModelException.class, e -> assertThat(e.errorCode()).contains("ERR_SOMETHING"))
        .hasMessageContaining("reported an error in its event stream (ERR_SOMETHING)");
  }

  @Test
  void theServersTextInAStreamErrorIsShortenedToOneLine() {
    String text = "first line\\r\\nFORGED 12:00:00 ERROR admin logged in " + "x".repeat(5000);
    openAi.enqueue(
        FakeOpenAiServer.Answer.sse(
            "event: error\ndata: {\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\""
                + text
                + "\",\"param\":null,\"sequence_number\":1}\n\n"));

    assertThatThrownBy(
            () -> builder().build().respondStreaming(Conversations.question("hi"), d -> {}))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("(ERR_SOMETHING): first line FORGED")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("\r")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
  }

  @Test
  void aListenerFailureReachesTheCallerUnchanged() {
    openAi.enqueue(sseFixture("responses/stream-text.sse"));
    IllegalStateException boom = new IllegalStateException("listener broke");
    assertThatThrownBy(
            () ->
                builder()
                    .build()
                    .respondStreaming(
                        Conversations.question("hi"),
                        d -> {
                          throw boom;
                        }))
        .isSameAs(boom);
  }

  @Test
  void aToolSchemaThatIsNotAnObjectFailsNamingTheTool() {
    ModelSettings settings = ModelSettings.defaults();
    io.github.mcprunner.model.ModelRequest request =
        new io.github.mcprunner.model.ModelRequest(
            "support",
            "",
            List.of(InputItem.Message.user("hi")),
            List.of(new io.github.mcprunner.model.ToolDefinition("odd", "", "[1,2]")),
            settings);
    assertThatThrownBy(() -> builder().build().respond(request))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessage("The input schema of tool 'odd' is not a JSON object");
    assertThat(openAi.calls()).isEmpty();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
