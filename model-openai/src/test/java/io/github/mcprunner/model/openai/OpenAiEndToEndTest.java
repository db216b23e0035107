package io.github.mcprunner.model.openai;

import static io.github.mcprunner.model.openai.Conversations.TEST_KEY;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.jsonFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.sseFixture;
import static io.github.mcprunner.model.openai.FakeOpenAiServer.Answer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.Usage;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.RunEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner with an OpenAI model pointed at the loopback OpenAI server, calling tools on the
 * embedded MCP server over the HttpClient transport with per-run headers.
 */
class OpenAiEndToEndTest {
  private final FakeOpenAiServer openAi = FakeOpenAiServer.start();
  private final EmbeddedMcpServer mcp =
      EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
  private final Runner runner = Runners.builder().discoverHeaderProviders(false).build();

  @AfterEach
  void stop() {
    runner.close();
    mcp.close();
    openAi.close();
  }

  private Agent agent(Model model) {
    return Agent.builder("support")
        .instructions("You help support agents.")
        .model(model)
        .mcpServer(McpServerSpec.builder("crm", mcp.url()).build())
        .build();
  }

  private OpenAiResponsesModel responses() {
    return OpenAiResponsesModel.builder("gpt-4.1-mini")
        .apiKey(TEST_KEY)
        .baseUrl(openAi.baseUrl())
        .maxRetries(0)
        .build();
  }

  @Test
  void modelCallsAnMcpToolWithThePerRunHeadersThenAnswers() {
    openAi.enqueue(jsonFixture("responses/whoami-call.json"), jsonFixture("responses/text.json"));

    RunResult result =
        runner.run(
            agent(responses()),
            "Who am I?",
            McpHeaders.of("X-Tenant-Id", "acme", "X-User-Id", "u-42"));

    assertThat(result.finalOutput()).isEqualTo("You are signed in as the acme tenant.");
    assertThat(result.usage()).isEqualTo(new Usage(120 + 36, 15 + 87));

    List<RecordedRequest> whoamiCalls =
        mcp.requests().stream().filter(r -> r.isToolCall("whoami")).toList();
    assertThat(whoamiCalls).hasSize(1);
    assertThat(whoamiCalls.get(0).header("X-Tenant-Id")).contains("acme");
    assertThat(whoamiCalls.get(0).header("X-User-Id")).contains("u-42");

    assertThat(openAi.calls()).hasSize(2);
    JsonNode first = openAi.call(0).json();
    List<String> toolNames = new ArrayList<>();
    first.path("tools").forEach(t -> toolNames.add(t.path("name").asText()));
    assertThat(toolNames).contains("whoami", "echo_headers", "add", "list_tickets");
    assertThat(first.path("input")).hasSize(1);
    assertThat(first.path("input").get(0).path("content").asText()).isEqualTo("Who am I?");

    JsonNode input = openAi.call(1).json().path("input");
    assertThat(input).hasSize(3);
    assertThat(input.get(1).path("type").asText()).isEqualTo("function_call");
    assertThat(input.get(1).path("call_id").asText()).isEqualTo("call_whoami_1");
    assertThat(input.get(1).path("name").asText()).isEqualTo("whoami");
    JsonNode output = input.get(2);
    assertThat(output.path("type").asText()).isEqualTo("function_call_output");
    assertThat(output.path("call_id").asText()).isEqualTo("call_whoami_1");
    assertThat(output.path("output").asText()).contains("acme").contains("u-42");
  }

  @Test
  void streamedChatRunMapsTextDeltasAndToolCallsToRunEvents() throws Exception {
    openAi.enqueue(sseFixture("chat/stream-whoami.sse"), sseFixture("chat/stream-text.sse"));
    Model model =
        OpenAiChatCompletionsModel.builder("gpt-4.1-mini")
            .apiKey(TEST_KEY)
            .baseUrl(openAi.baseUrl())
            .maxRetries(0)
            .build();

    RunStream stream =
        runner.runStreamed(agent(model), "Who am I?", McpHeaders.of("X-Tenant-Id", "acme"));
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(30));
    RunResult result = stream.result().get(30, TimeUnit.SECONDS);

    assertThat(result.finalOutput()).isEqualTo("Hello from acme.");
    assertThat(events)
        .filteredOn(RunEvent.TextDelta.class::isInstance)
        .map(e -> ((RunEvent.TextDelta) e).delta())
        .containsExactly("Hello", " from", " acme.");
    assertThat(events)
        .filteredOn(RunEvent.ToolCallStarted.class::isInstance)
        .singleElement()
        .satisfies(
            e -> {
              RunEvent.ToolCallStarted started = (RunEvent.ToolCallStarted) e;
              assertThat(started.callId()).isEqualTo("call_whoami_s");
              assertThat(started.toolName()).isEqualTo("whoami");
              assertThat(started.serverName()).isEqualTo("crm");
            });
    assertThat(events)
        .filteredOn(RunEvent.ToolCallFinished.class::isInstance)
        .singleElement()
        .satisfies(e -> assertThat(((RunEvent.ToolCallFinished) e).error()).isFalse());
    assertThat(mcp.requests().stream().filter(r -> r.isToolCall("whoami")))
        .singleElement()
        .satisfies(r -> assertThat(r.header("X-Tenant-Id")).contains("acme"));

    JsonNode messages = openAi.call(1).json().path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    assertThat(last.path("role").asText()).isEqualTo("tool");
    assertThat(last.path("tool_call_id").asText()).isEqualTo("call_whoami_s");
    assertThat(last.path("content").asText()).contains("acme");
    assertThat(openAi.call(1).json().path("stream").asBoolean(false)).isTrue();
  }

  @Test
  void malformedArgumentsReachTheModelAsAToolErrorAndTheRunGoesOn() {
    openAi.enqueue(
        jsonFixture("responses/malformed-call.json"), jsonFixture("responses/text.json"));

    RunResult result = runner.run(agent(responses()), "Add two and three.");

    assertThat(result.finalOutput()).isEqualTo("You are signed in as the acme tenant.");
    assertThat(mcp.requests().stream().filter(r -> r.isToolCall("add"))).isEmpty();
    JsonNode output = openAi.call(1).json().path("input").get(2);
    assertThat(output.path("call_id").asText()).isEqualTo("call_add_bad");
    assertThat(output.path("output").asText())
        .isEqualTo("Error: The arguments of the call to 'add' are not a valid JSON object");
  }

  @Test
  void anOpenAiFailureFailsTheRunClearly() {
    openAi.enqueue(
        status(
            401,
            "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-5f1c****cdef.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"invalid_api_key\"}}"));

    assertThatThrownBy(() -> runner.run(agent(responses()), "hi"))
        .isInstanceOf(OpenAiModelException.class)
        .hasMessageContaining("refused the API key")
        .hasMessageNotContaining("sk-test");
  }
}
