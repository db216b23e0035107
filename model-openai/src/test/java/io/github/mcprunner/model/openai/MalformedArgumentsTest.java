package io.github.mcprunner.model.openai;

import static io.github.mcprunner.model.openai.Conversations.TEST_KEY;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.json;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.jsonFixture;
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

/** What the adapters do when the model's tool-call arguments are not a JSON object. */
class MalformedArgumentsTest {
  private static final String BAD_ARGUMENTS = "{\"a\": 2, \"b\": ";

  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    openAi.close();
  }

  private OpenAiResponsesModel model(MalformedArguments policy) {
    return OpenAiResponsesModel.builder("gpt-4.1-mini")
        .apiKey(TEST_KEY)
        .baseUrl(openAi.baseUrl())
        .maxRetries(0)
        .malformedArguments(policy)
        .build();
  }

  @Test
  void passThroughHandsTheArgumentsToTheRunnerAsTheModelWroteThem() {
    openAi.enqueue(jsonFixture("responses/malformed-call.json"));

    ModelResponse response =
        model(MalformedArguments.PASS_THROUGH)
            .respond(Conversations.withTools("add", ModelSettings.defaults()));

    assertThat(response.toolCalls())
        .containsExactly(new InputItem.ToolCall("call_add_bad", "add", BAD_ARGUMENTS));
    assertThat(openAi.calls()).hasSize(1);
  }

  @Test
  void failFailsAtOnceNamingTheToolButNotTheArguments() {
    openAi.enqueue(jsonFixture("responses/malformed-call.json"));

    assertThatThrownBy(
            () ->
                model(MalformedArguments.FAIL)
                    .respond(Conversations.withTools("add", ModelSettings.defaults())))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("called tool 'add' with arguments that are not a JSON object")
        .hasMessageNotContaining("\"b\"");
    assertThat(openAi.calls()).hasSize(1);
  }

  @Test
  void retryOnceReportsTheMalformedCallToTheModelAsAToolErrorAndReturnsItsSecondAnswer() {
    openAi.enqueue(
        jsonFixture("responses/malformed-call.json"), jsonFixture("responses/function-calls.json"));

    ModelResponse response =
        model(MalformedArguments.RETRY_ONCE)
            .respond(Conversations.withTools("add", ModelSettings.defaults()));

    assertThat(response.toolCalls())
        .extracting(InputItem.ToolCall::name)
        .containsExactly("whoami", "add");
    assertThat(response.usage()).isEqualTo(new Usage(120 + 291, 15 + 42));
    assertThat(openAi.calls()).hasSize(2);
    JsonNode input = openAi.call(1).json().path("input");
    assertThat(input).hasSize(3);
    assertThat(input.get(1).path("type").asText()).isEqualTo("function_call");
    assertThat(input.get(1).path("call_id").asText()).isEqualTo("call_add_bad");
    assertThat(input.get(1).path("arguments").asText()).isEqualTo(BAD_ARGUMENTS);
    assertThat(input.get(2).path("type").asText()).isEqualTo("function_call_output");
    assertThat(input.get(2).path("call_id").asText()).isEqualTo("call_add_bad");
    assertThat(input.get(2).path("output").asText())
        .startsWith("Error: The arguments of this call are not a valid JSON object");
  }

  @Test
  void retryOnceAnswersAWellFormedSiblingCallAsNotRun() throws Exception {
    String twoCalls =
        FakeOpenAiServer.fixture("responses/function-calls.json")
            .replace(
                "\"arguments\": \"{\\\"a\\\":2,\\\"b\\\":3}\"", "\"arguments\": \"{\\\"a\\\":\"");
    openAi.enqueue(json(twoCalls), jsonFixture("responses/text.json"));

    ModelResponse response =
        model(MalformedArguments.RETRY_ONCE)
            .respond(Conversations.withTools("add", ModelSettings.defaults()));

    assertThat(response.text()).isEqualTo("You are signed in as the acme tenant.");
    JsonNode input = openAi.call(1).json().path("input");
    List<String> outputs = new ArrayList<>();
    input.forEach(
        item -> {
          if (item.path("type").asText().equals("function_call_output")) {
            outputs.add(item.path("call_id").asText() + " " + item.path("output").asText());
          }
        });
    assertThat(outputs).hasSize(2);
    assertThat(outputs.get(0)).startsWith("call_unLAR8MvFNptuiZK6K6HCy5k Error: Not run");
    assertThat(outputs.get(1))
        .startsWith("call_9xYzK2pQ7wLmN4vB8cD1eF3g Error: The arguments of this call");
  }

  @Test
  void retryOnceFailsWhenTheModelRepeatsTheMistake() {
    openAi.enqueue(
        jsonFixture("responses/malformed-call.json"), jsonFixture("responses/malformed-call.json"));

    assertThatThrownBy(
            () ->
                model(MalformedArguments.RETRY_ONCE)
                    .respond(Conversations.withTools("add", ModelSettings.defaults())))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("called tool 'add' with arguments that are not a JSON object again");
    assertThat(openAi.calls()).hasSize(2);
  }

  @Test
  void blankArgumentsCountAsNoArguments() {
    openAi.enqueue(
        json(
            FakeOpenAiServer.fixture("responses/whoami-call.json")
                .replace("\"arguments\": \"{}\"", "\"arguments\": \"\"")));

    ModelResponse response =
        model(MalformedArguments.FAIL)
            .respond(Conversations.withTools("who", ModelSettings.defaults()));

    assertThat(response.toolCalls())
        .containsExactly(new InputItem.ToolCall("call_whoami_1", "whoami", ""));
  }
}
