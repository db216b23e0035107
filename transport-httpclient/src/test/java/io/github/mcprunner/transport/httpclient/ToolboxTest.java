package io.github.mcprunner.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpTool;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolConflictException;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tool layer without the agent loop, over the JDK transport and testkit's server. */
class ToolboxTest {
  private EmbeddedMcpServer server;
  private Runner runner;

  @BeforeEach
  void start() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
    runner = Runners.builder().discoverHeaderProviders(false).build();
  }

  @AfterEach
  void stop() {
    runner.close();
    server.close();
  }

  private static RunOptions user(String user) {
    return RunOptions.builder()
        .identity(user)
        .mcpHeaders(McpHeaders.of("X-User-Id", user, "Authorization", "Bearer token-" + user))
        .build();
  }

  @Test
  void eachRunListsAndCallsWithItsOwnHeadersAndSession() {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    for (int round = 0; round < 2; round++) {
      for (String user : List.of("alice", "bob")) {
        try (ToolboxRun run = toolbox.open(user(user))) {
          assertThat(run.tools())
              .extracting(McpTool::name)
              .contains("whoami", "echo_headers", "add");
          assertThat(run.tools()).allMatch(tool -> tool.serverName().equals("tickets"));
          ToolOutcome outcome = run.call("whoami", "{}");
          assertThat(outcome.error()).isFalse();
          assertThat(outcome.output()).contains("\"userId\":\"" + user + "\"");
          assertThat(run.call("add", "{\"a\":2,\"b\":3}").output()).isEqualTo("5");
        }
      }
    }
    List<RecordedRequest> requests = server.requests();
    assertThat(requests.stream().filter(r -> "initialize".equals(r.mcpMethod())))
        .as("one session per identity, kept across runs")
        .hasSize(2);
    for (RecordedRequest request : requests) {
      if ("tools/call".equals(request.mcpMethod()) || "tools/list".equals(request.mcpMethod())) {
        List<String> users = request.headerValues("X-User-Id");
        assertThat(users).hasSize(1);
        assertThat(request.headerValues("Authorization"))
            .containsExactly("Bearer token-" + users.get(0));
      }
    }
    assertThat(((io.github.mcprunner.core.internal.DefaultRunner) runner).pooledSessions())
        .as("closing a run ends nothing shared")
        .isEqualTo(2);
  }

  @Test
  void failuresTheModelShouldSeeAreErrorOutcomes() {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    try (ToolboxRun run = toolbox.open(user("alice"))) {
      assertThat(run.call("no_such_tool", "{}"))
          .isEqualTo(new ToolOutcome("Unknown tool 'no_such_tool'", true));
      assertThat(run.call("add", "not json"))
          .isEqualTo(
              new ToolOutcome(
                  "The arguments of the call to 'add' are not a valid JSON object", true));
    }
  }

  @Test
  void argumentsGoOutAsTheCallerWroteThemAndCannotAddMembersToTheRequest() throws Exception {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    // Spacing, a trailing zero, more digits than a double holds, an escape the parser would undo.
    String arguments =
        "{ \"a\" : 1.50,\n  \"b\": 2.000000000000000000001, \"note\": \"\\u00e9\\/\" }";
    // Text that closes the arguments early and would rename the tool if written as it is.
    String smuggling = "{\"a\": 1, \"b\": 2}, \"name\": \"whoami\"";
    try (ToolboxRun run = toolbox.open(user("alice"))) {
      assertThat(run.call("add", arguments)).isEqualTo(new ToolOutcome("3.5", false));
      run.call("add", smuggling);
    }
    List<RecordedRequest> calls =
        server.requests().stream()
            .filter(r -> "tools/call".equals(r.mcpMethod()))
            .collect(java.util.stream.Collectors.toList());
    assertThat(calls.get(0).body()).contains("\"arguments\":" + arguments);
    for (RecordedRequest call : calls) {
      Map<?, ?> params =
          (Map<?, ?>)
              io.modelcontextprotocol.json.McpJsonDefaults.getMapper()
                  .readValue(call.body(), Map.class)
                  .get("params");
      assertThat(params.get("name")).as(call.body()).isEqualTo("add");
      assertThat(params.get("arguments")).isInstanceOf(Map.class);
    }
    assertThat(calls).noneMatch(call -> call.body().contains(smuggling));
  }

  @Test
  void closedRunsLeaveNoListenerOnTheCallersLongLivedCancellation() throws Exception {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    RunCancellation conversation = new RunCancellation();
    RunOptions options = RunOptions.builder().identity("alice").cancellation(conversation).build();
    for (int i = 0; i < 20; i++) {
      try (ToolboxRun run = toolbox.open(options)) {
        assertThat(listeners(conversation)).isEqualTo(1);
        run.call("whoami", "{}");
      }
    }
    io.github.mcprunner.Agent agent =
        io.github.mcprunner.Agent.builder("support")
            .model(io.github.mcprunner.testkit.ScriptedModel.builder().answer("ok").build())
            .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
            .build();
    for (int i = 0; i < 20; i++) {
      runner.run(agent, "hi", options);
      runner.runAsync(agent, "hi", options).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(listeners(conversation)).isZero();

    // While a run is open, cancelling the conversation still cancels it.
    try (ToolboxRun run = toolbox.open(options)) {
      conversation.cancel();
      assertThatThrownBy(() -> run.call("whoami", "{}")).isInstanceOf(RunCancelledException.class);
    }
  }

  private static int listeners(RunCancellation cancellation) throws Exception {
    java.lang.reflect.Field field = RunCancellation.class.getDeclaredField("listeners");
    field.setAccessible(true);
    synchronized (cancellation) {
      return ((List<?>) field.get(cancellation)).size();
    }
  }

  @Test
  void twoServersOfferingOneToolConflict() {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant",
            List.of(
                McpServerSpec.builder("a", server.url()).build(),
                McpServerSpec.builder("b", server.url()).build()));
    try (ToolboxRun run = toolbox.open(user("alice"))) {
      assertThatThrownBy(run::tools)
          .isInstanceOf(ToolConflictException.class)
          .hasMessageContaining("MCP server 'a'")
          .hasMessageContaining("MCP server 'b'");
    }
  }

  @Test
  void aCancelledRunSendsNothing() {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    RunCancellation cancellation = new RunCancellation();
    try (ToolboxRun run =
        toolbox.open(RunOptions.builder().identity("alice").cancellation(cancellation).build())) {
      cancellation.cancel();
      assertThatThrownBy(() -> run.call("whoami", "{}")).isInstanceOf(RunCancelledException.class);
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void badOptionsAndClosedToolboxesAreRefused() {
    McpToolbox toolbox =
        runner.toolbox(
            "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    assertThatThrownBy(
            () ->
                toolbox.open(
                    RunOptions.builder().mcpHeaders("billing", McpHeaders.of("X-A", "1")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'billing'")
        .hasMessageContaining("toolbox 'assistant'");
    assertThatThrownBy(
            () ->
                runner.toolbox(
                    "assistant",
                    List.of(
                        McpServerSpec.builder("a", server.url()).build(),
                        McpServerSpec.builder("a", server.url()).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two MCP servers named 'a'");
    McpToolbox other =
        runner.toolbox("other", List.of(McpServerSpec.builder("tickets", server.url()).build()));
    toolbox.close();
    assertThatThrownBy(() -> toolbox.open(RunOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("toolbox 'assistant' is closed");
    runner.close();
    assertThatThrownBy(() -> other.open(RunOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this Runner is closed");
  }
}
