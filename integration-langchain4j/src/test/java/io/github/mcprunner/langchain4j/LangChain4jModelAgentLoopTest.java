package io.github.mcprunner.langchain4j;

import static io.github.mcprunner.langchain4j.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.output.FinishReason;
import io.github.mcprunner.Agent;
import io.github.mcprunner.FunctionTool;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.Usage;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.RunEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's own agent loop driven by a LangChain4j {@link dev.langchain4j.model.chat.ChatModel}
 * (scripted, no network), calling tools of the embedded MCP server and a local function tool.
 */
class LangChain4jModelAgentLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * As a model might write them: spacing, a JSON escape for a character ({@code \\u00e9}), a
   * decimal with more digits than a double holds. The runner sends them as written.
   */
  private static final String MCP_ARGUMENTS =
      "{ \"text\" : \"h\\u00e9llo \\\"quoted\\\" \ud83d\ude00 \\\\ end\",\n  \"count\": 3,\n"
          + "  \"nested\": {\"flags\": [true, false], \"ratio\": 0.250000000000000000001} }";

  /** With spaces and an escape: a function tool gets the model's text unchanged. */
  private static final String FUNCTION_ARGUMENTS = "{ \"city\" : \"Z\\u00fcrich\",\n \"days\": 2 }";

  private final EmbeddedMcpServer mcp =
      EmbeddedMcpServer.builder()
          .mode(EmbeddedMcpServer.Mode.STATEFUL)
          .defaultTools()
          .tool(
              "echo_args",
              "Echoes its text argument in a multi-line, unicode answer.",
              "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
                  + "\"type\":\"object\",\"properties\":{"
                  + "\"text\":{\"type\":\"string\",\"description\":\"What to echo\"},"
                  + "\"count\":{\"type\":\"integer\",\"minimum\":0},"
                  + "\"nested\":{\"type\":\"object\",\"properties\":{"
                  + "\"flags\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}},"
                  + "\"ratio\":{\"type\":\"number\"}}}},"
                  + "\"required\":[\"text\"],\"additionalProperties\":false}",
              (args, request) ->
                  "R\u00e9sultat \u2713 for "
                      + args.get("text")
                      + " from "
                      + request.header("X-Tenant-Id").orElse("?")
                      + "\n{\"raw\": true}\ttab")
          .start();
  private final Runner runner = Runners.builder().discoverHeaderProviders(false).build();
  private final ExecutorService streamThreads = Executors.newSingleThreadExecutor();
  private final List<String> functionArguments = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    runner.close();
    mcp.close();
    streamThreads.shutdownNow();
  }

  private Agent agent(Model model) {
    return Agent.builder("support")
        .instructions("You help support agents.")
        .model(model)
        .mcpServer(McpServerSpec.builder("crm", mcp.url()).build())
        .functionTool(
            FunctionTool.of(
                "forecast",
                "Weather forecast for a city.",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                    + "\"days\":{\"type\":\"integer\"}},\"required\":[\"city\"]}",
                args -> {
                  functionArguments.add(args);
                  return "Sunny \u2600 in Z\u00fcrich";
                }))
        .build();
  }

  @Test
  void callsMcpAndFunctionToolsWithArgumentsAndResultsByteExact() throws Exception {
    ScriptedChatModel chat =
        new ScriptedChatModel()
            .thenCall(call("c-1", "echo_args", MCP_ARGUMENTS))
            .thenCall(call("c-2", "forecast", FUNCTION_ARGUMENTS))
            .thenAnswer("All done.");

    RunResult result =
        runner.run(
            agent(LangChain4jModel.of(chat)), "Echo please", McpHeaders.of("X-Tenant-Id", "acme"));

    assertThat(result.finalOutput()).isEqualTo("All done.");
    assertThat(result.usage()).isEqualTo(new Usage(300, 60));

    // What the MCP server received: the model's arguments, unchanged, with the run's headers.
    RecordedRequest echo =
        mcp.requests().stream().filter(r -> r.isToolCall("echo_args")).findFirst().orElseThrow();
    assertThat(echo.header("X-Tenant-Id")).contains("acme");
    // The model's text, byte for byte, in the JSON-RPC request.
    assertThat(echo.body()).contains("\"arguments\":" + MCP_ARGUMENTS);
    JsonNode sent = JSON.readTree(echo.body()).path("params").path("arguments");
    assertThat(sent).isEqualTo(JSON.readTree(MCP_ARGUMENTS));
    assertThat(sent.path("text").textValue())
        .isEqualTo("h\u00e9llo \"quoted\" \ud83d\ude00 \\ end");
    // What the function tool received: the model's text, byte for byte.
    assertThat(functionArguments).containsExactly(FUNCTION_ARGUMENTS);

    List<ChatRequest> requests = chat.requests();
    assertThat(requests).hasSize(3);
    ChatRequest first = requests.get(0);
    assertThat(first.messages())
        .containsExactly(
            SystemMessage.from("You help support agents."), UserMessage.from("Echo please"));
    assertThat(first.toolSpecifications())
        .extracting(ToolSpecification::name)
        .contains("whoami", "add", "list_tickets", "echo_args", "forecast");
    ToolSpecification add = spec(first, "add");
    assertThat(add.description()).isEqualTo("Adds two numbers.");
    assertThat(add.parameters().properties().get("a")).isInstanceOf(JsonNumberSchema.class);
    assertThat(add.parameters().required()).containsExactly("a", "b");
    assertThat(spec(first, "list_tickets").parameters().properties().get("status"))
        .isEqualTo(JsonEnumSchema.builder().enumValues("open", "closed").build());

    // The second turn sees the call as the model made it and the MCP result as the server sent it.
    List<ChatMessage> second = requests.get(1).messages();
    assertThat(second).hasSize(4);
    AiMessage madeCall = (AiMessage) second.get(2);
    assertThat(madeCall.toolExecutionRequests())
        .containsExactly(call("c-1", "echo_args", MCP_ARGUMENTS));
    ToolExecutionResultMessage mcpResult = (ToolExecutionResultMessage) second.get(3);
    assertThat(mcpResult.id()).isEqualTo("c-1");
    assertThat(mcpResult.toolName()).isEqualTo("echo_args");
    assertThat(mcpResult.text())
        .isEqualTo(
            "R\u00e9sultat \u2713 for h\u00e9llo \"quoted\" \ud83d\ude00 \\ end from acme\n"
                + "{\"raw\": true}\ttab");
    assertThat(mcpResult.isError()).isNull();

    List<ChatMessage> third = requests.get(2).messages();
    assertThat(third).hasSize(6);
    assertThat(((AiMessage) third.get(4)).toolExecutionRequests())
        .containsExactly(call("c-2", "forecast", FUNCTION_ARGUMENTS));
    assertThat(((ToolExecutionResultMessage) third.get(5)).text())
        .isEqualTo("Sunny \u2600 in Z\u00fcrich");
  }

  @Test
  void toolErrorsReachTheModelMarkedAsErrors() {
    ScriptedChatModel chat =
        new ScriptedChatModel().thenCall(call("c-1", "add", "{\"a\":1}")).thenAnswer("Sorry.");

    runner.run(agent(LangChain4jModel.of(chat)), "Add");

    ToolExecutionResultMessage result =
        (ToolExecutionResultMessage) chat.requests().get(1).messages().get(3);
    assertThat(result.isError()).isTrue();
    assertThat(result.text()).isNotBlank();
  }

  @Test
  void settingsBecomeChatRequestParameters() {
    ScriptedChatModel chat = new ScriptedChatModel().thenAnswer("ok");
    Agent agent =
        agent(LangChain4jModel.of(chat)).toBuilder()
            .modelSettings(new ModelSettings(0.3, 256, "add"))
            .build();

    runner.run(agent, "hi");

    ChatRequest request = chat.requests().get(0);
    assertThat(request.temperature()).isEqualTo(0.3);
    assertThat(request.maxOutputTokens()).isEqualTo(256);
    // A named tool choice: that tool alone, and a call required.
    assertThat(request.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(request.toolSpecifications())
        .extracting(ToolSpecification::name)
        .containsExactly("add");
  }

  @Test
  void streamedRunReportsPartialResponsesAsTextDeltasAndCallsTools() throws Exception {
    ScriptedStreamingChatModel streaming =
        new ScriptedStreamingChatModel(streamThreads)
            .then(
                List.of(),
                ScriptedChatModel.response(
                    AiMessage.from(List.of(call("s-1", "echo_args", MCP_ARGUMENTS))),
                    FinishReason.TOOL_EXECUTION))
            .then(
                List.of("Hello", " from", " acme."),
                ScriptedChatModel.response(AiMessage.from("Hello from acme."), FinishReason.STOP));

    RunStream stream =
        runner.runStreamed(
            agent(LangChain4jModel.of(streaming)), "Echo", McpHeaders.of("X-Tenant-Id", "acme"));
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(30));
    RunResult result = stream.result().get(30, TimeUnit.SECONDS);

    assertThat(result.finalOutput()).isEqualTo("Hello from acme.");
    assertThat(events)
        .filteredOn(RunEvent.TextDelta.class::isInstance)
        .map(e -> ((RunEvent.TextDelta) e).delta())
        .containsExactly("Hello", " from", " acme.");
    assertThat(events)
        .filteredOn(RunEvent.ToolCallFinished.class::isInstance)
        .singleElement()
        .satisfies(e -> assertThat(((RunEvent.ToolCallFinished) e).error()).isFalse());
    RecordedRequest echo =
        mcp.requests().stream().filter(r -> r.isToolCall("echo_args")).findFirst().orElseThrow();
    assertThat(JSON.readTree(echo.body()).path("params").path("arguments"))
        .isEqualTo(JSON.readTree(MCP_ARGUMENTS));
    assertThat(((ToolExecutionResultMessage) streaming.requests().get(1).messages().get(3)).text())
        .startsWith("R\u00e9sultat \u2713 for h\u00e9llo");
  }

  @Test
  void aPlainChatModelInAStreamedRunReportsItsTextOnce() throws Exception {
    ScriptedChatModel chat = new ScriptedChatModel().thenAnswer("Whole answer.");

    RunStream stream = runner.runStreamed(agent(LangChain4jModel.of(chat)), "hi");
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(30));
    stream.result().get(30, TimeUnit.SECONDS);

    assertThat(events)
        .filteredOn(RunEvent.TextDelta.class::isInstance)
        .map(e -> ((RunEvent.TextDelta) e).delta())
        .containsExactly("Whole answer.");
  }

  @Test
  void anAuthenticationFailureFailsTheRunWithoutEchoingTheKey() {
    ScriptedChatModel chat =
        new ScriptedChatModel()
            .then(
                request -> {
                  throw new AuthenticationException(
                      new HttpException(
                          401, "{\"error\":\"Incorrect API key provided: sk-live-abc123secret\"}"));
                });

    assertThatThrownBy(() -> runner.run(agent(LangChain4jModel.of(chat)), "hi"))
        .isInstanceOfSatisfying(
            LangChain4jModelException.class,
            e -> {
              assertThat(e.statusCode()).hasValue(401);
              assertThat(e.getCause()).isNull();
            })
        .hasMessageContaining("ScriptedChatModel")
        .hasMessageContaining("agent 'support'")
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("sk-live");
  }

  @Test
  void aStreamedFailureFailsTheRunAsTheRunnersModelException() {
    ScriptedStreamingChatModel streaming =
        new ScriptedStreamingChatModel(streamThreads)
            .thenFail(
                List.of("Hel"),
                new RateLimitException(new HttpException(429, "slow down, key sk-live-zzz")));

    RunStream stream = runner.runStreamed(agent(LangChain4jModel.of(streaming)), "hi");

    assertThatThrownBy(() -> stream.result().get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            LangChain4jModelException.class, e -> assertThat(e.statusCode()).hasValue(429))
        .hasMessageContaining("rate limiting")
        .hasMessageNotContaining("sk-live");
  }

  @Test
  void aSchemaLangChain4jCannotExpressFailsTheTurnNamingToolAndKeyword() {
    mcp.addTool(
        "choose",
        "Either-or.",
        "{\"type\":\"object\",\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}",
        (args, request) -> "never");
    ScriptedChatModel chat = new ScriptedChatModel().thenAnswer("never");

    assertThatThrownBy(() -> runner.run(agent(LangChain4jModel.of(chat)), "hi"))
        .isInstanceOf(LangChain4jModelException.class)
        .hasMessageContaining("tool 'choose'")
        .hasMessageContaining("'oneOf'");
    assertThat(chat.requests()).isEmpty();
  }

  private static ToolSpecification spec(ChatRequest request, String name) {
    return request.toolSpecifications().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
