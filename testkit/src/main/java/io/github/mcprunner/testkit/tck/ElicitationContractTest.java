package io.github.mcprunner.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcprunner.Agent;
import io.github.mcprunner.InputHandler;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.RunnerBuilder;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.EmbeddedMcpServer.Mode;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.RunEvents;
import io.github.mcprunner.testkit.ScriptedModel;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The elicitation contract every MCP transport of mcp-runner passes (session era): a server's
 * question reaches the input handler of the run it belongs to and no other, its answer reaches the
 * server on that run's request, and every outcome (accept, decline, cancel, timeout, a failing
 * handler, a refused URL, no handler) ends the call without hanging. Extend it in the transport
 * module's tests as {@link McpTransportContractTest}.
 *
 * <p>Runs the real runner with a {@link ScriptedModel} against {@link EmbeddedMcpServer}'s {@code
 * confirm} and {@code open_url} tools, in STATEFUL mode (the question arrives on the call's own
 * answer stream: correlated) and SSE mode (on the session's stream: not correlated, so it reaches a
 * run only when it is the only run holding a per-identity session).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class ElicitationContractTest {

  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
  private static final Duration LONG_WAIT = Duration.ofSeconds(30);

  private final List<Runner> runners = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Returns the factory of the transport under test; called once per runner the suite builds. */
  protected abstract McpTransportFactory transport();

  @AfterEach
  void closeEverything() {
    runners.forEach(Runner::close);
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // Best effort: the next test starts its own servers.
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private Runner runner() {
    return runner(Runners.builder());
  }

  private Runner runner(RunnerBuilder builder) {
    Runner runner =
        builder
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(transport())
            .build();
    runners.add(runner);
    return runner;
  }

  private EmbeddedMcpServer server(Mode mode) {
    EmbeddedMcpServer server = EmbeddedMcpServer.builder().mode(mode).defaultTools().start();
    resources.add(server);
    return server;
  }

  private static McpServerSpec.Builder spec(EmbeddedMcpServer server) {
    return McpServerSpec.builder("tickets", server.url())
        .transportKind(
            server.mode() == Mode.SSE ? TransportKind.SSE : TransportKind.STREAMABLE_HTTP)
        .requestTimeout(LONG_WAIT.plusSeconds(30));
  }

  private static Agent agent(McpServerSpec server, String tool, String arguments) {
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool(tool, arguments)
            .answer(request -> ScriptedModel.lastToolOutput(request))
            .build();
    return Agent.builder("support").instructions("Help.").model(model).mcpServer(server).build();
  }

  private static RunOptions.Builder user(String userId) {
    return RunOptions.builder().identity(userId).mcpHeaders(McpHeaders.of("X-User-Id", userId));
  }

  /**
   * The JSON {@code {userId, action, content}} the {@code confirm} and {@code open_url} tools
   * answer.
   */
  private static Map<String, Object> answer(String toolOutput) {
    try {
      return JSON.readValue(toolOutput, new TypeRef<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new AssertionError("the tool did not answer JSON: " + toolOutput, e);
    }
  }

  private static Map<String, Object> onlyAnswer(RunResult result) {
    assertThat(result.toolResults()).hasSize(1);
    RunItem.ToolResultItem item = result.toolResults().get(0);
    assertThat(item.error()).as("tool error: %s", item.output()).isFalse();
    return answer(item.output());
  }

  // ---------------------------------------------------------------- one run

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void aFormQuestionReachesTheRunsHandlerAndTheAnswerWithDefaultsReachesTheServer(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    List<InputRequest> asked = new CopyOnWriteArrayList<>();
    InputHandler handler =
        request -> {
          asked.add(request);
          return CompletableFuture.completedFuture(
              InputResponse.accept(Map.<String, Object>of("confirmed", true)));
        };

    RunResult result =
        runner()
            .run(
                agent(spec(server).build(), "confirm", "{}"),
                "go",
                user("alice").inputHandler(handler).build());

    Map<String, Object> answer = onlyAnswer(result);
    assertThat(answer.get("userId")).isEqualTo("alice");
    assertThat(answer.get("action")).isEqualTo("accept");
    // "note" was left out by the user: its schema default is filled in (SEP-1034).
    assertThat(answer.get("content")).isEqualTo(Map.of("confirmed", true, "note", "none"));
    assertThat(asked).hasSize(1);
    InputRequest request = asked.get(0);
    assertThat(request.serverName()).isEqualTo("tickets");
    assertThat(request.runId()).isEqualTo(result.runId());
    assertThat(request.identity()).contains("alice");
    assertThat(request.mode()).isEqualTo(InputRequest.Mode.FORM);
    assertThat(request.message()).isEqualTo("Proceed for alice?");
    assertThat(request.requestedSchema()).hasValueSatisfying(s -> assertThat(s).contains("note"));
    assertThat(request.url()).isEmpty();
    // The session declared the capability, and every POST (the answer too) carried alice's header.
    assertThat(server.requests())
        .filteredOn(r -> "initialize".equals(r.mcpMethod()))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"elicitation\""));
    assertThat(server.requests())
        .filteredOn(r -> "POST".equals(r.httpMethod()))
        .allSatisfy(r -> assertThat(r.header("X-User-Id")).contains("alice"));
  }

  @Test
  void theRunStreamReportsTheQuestionAndItsAnswer() throws Exception {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    RunStream stream =
        runner()
            .runStreamed(
                agent(spec(server).build(), "confirm", "{}"),
                "go",
                user("alice")
                    .inputHandler(
                        request -> CompletableFuture.completedFuture(InputResponse.decline()))
                    .build());

    List<RunEvent> events = RunEvents.of(stream, LONG_WAIT);

    assertThat(events)
        .filteredOn(e -> e instanceof RunEvent.InputRequested)
        .singleElement()
        .satisfies(
            e -> {
              InputRequest request = ((RunEvent.InputRequested) e).request();
              assertThat(request.runId()).isEqualTo(stream.runId());
              assertThat(request.mode()).isEqualTo(InputRequest.Mode.FORM);
            });
    assertThat(events)
        .filteredOn(e -> e instanceof RunEvent.InputAnswered)
        .containsExactly(
            new RunEvent.InputAnswered(stream.runId(), "tickets", InputResponse.Action.DECLINE));
    int requested = indexOf(events, RunEvent.InputRequested.class);
    int answered = indexOf(events, RunEvent.InputAnswered.class);
    int finished = indexOf(events, RunEvent.ToolCallFinished.class);
    assertThat(requested).isLessThan(answered);
    assertThat(answered).isLessThan(finished);
  }

  private static int indexOf(List<RunEvent> events, Class<?> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + events);
  }

  /** What the handler does with the question. */
  enum Outcome {
    DECLINE,
    CANCEL,
    TIME_OUT,
    FAIL_STAGE
  }

  @ParameterizedTest
  @EnumSource(Outcome.class)
  void everyOtherAnswerEndsTheCallWithTheServersResponseToIt(Outcome outcome) {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    InputHandler handler =
        request ->
            switch (outcome) {
              case DECLINE -> CompletableFuture.completedFuture(InputResponse.decline());
              case CANCEL -> CompletableFuture.completedFuture(InputResponse.cancel());
              case TIME_OUT -> new CompletableFuture<>();
              case FAIL_STAGE ->
                  CompletableFuture.failedFuture(new IllegalStateException("user store down"));
            };
    RunOptions options =
        user("bob").inputHandler(handler).inputTimeout(Duration.ofMillis(300)).build();
    Agent agent = agent(spec(server).build(), "confirm", "{}");

    if (outcome == Outcome.FAIL_STAGE) {
      Throwable failure = catchThrowable(() -> runner().run(agent, "go", options));
      assertThat(failure)
          .isInstanceOf(McpRunnerException.class)
          .hasMessageContaining("input handler")
          .hasMessageContaining("'tickets'")
          .hasMessageContaining("IllegalStateException")
          .hasRootCauseMessage("user store down");
      assertThat(server.requests())
          .filteredOn(r -> r.mcpMethod() == null && r.body().contains("\"action\""))
          .singleElement()
          .satisfies(r -> assertThat(r.body()).contains("\"cancel\""));
      return;
    }
    RunResult result = runner().run(agent, "go", options);

    Map<String, Object> answer = onlyAnswer(result);
    String expected = outcome == Outcome.DECLINE ? "decline" : "cancel";
    assertThat(answer.get("action")).isEqualTo(expected);
    assertThat(answer.get("content")).isEqualTo(Map.of());
  }

  @Test
  void aHandlerThatThrowsFailsTheRunClearlyAndTheServerHearsCancel() {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    InputHandler handler =
        request -> {
          throw new IllegalArgumentException("no such user");
        };

    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(spec(server).build(), "confirm", "{}"),
                        "go",
                        user("bob").inputHandler(handler).build()));

    assertThat(failure)
        .isInstanceOf(McpRunnerException.class)
        .hasMessageContaining("input handler")
        .hasMessageContaining("'tickets'")
        .hasRootCauseMessage("no such user");
    assertThat(server.requests())
        .filteredOn(r -> r.mcpMethod() == null && r.body().contains("\"action\""))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"cancel\""));
  }

  @Test
  void aCancelledRunAnswersItsWaitingQuestionCancel() throws Exception {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    CompletableFuture<InputRequest> asked = new CompletableFuture<>();
    RunStream stream =
        runner()
            .runStreamed(
                agent(spec(server).build(), "confirm", "{}"),
                "go",
                user("carol")
                    .inputHandler(
                        request -> {
                          asked.complete(request);
                          return new CompletableFuture<>();
                        })
                    .build());
    asked.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);

    stream.cancel();

    List<RunEvent> events = RunEvents.of(stream, LONG_WAIT);
    assertThat(events)
        .filteredOn(e -> e instanceof RunEvent.InputAnswered)
        .containsExactly(
            new RunEvent.InputAnswered(stream.runId(), "tickets", InputResponse.Action.CANCEL));
    assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunFailed.class);
  }

  // ---------------------------------------------------------------- URLs

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://consent.example.com/grant?code=secret-code",
        "ftp://consent.example.com/grant",
        "javascript:alert(1)",
        "/relative/grant",
        "https://user:secret-code@consent.example.com/grant",
        "https://consent.example.com/a b"
      })
  void aUrlThatIsNotHttpsOrLoopbackNeverReachesTheHandler(String url) throws IOException {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    AtomicInteger asked = new AtomicInteger();
    InputHandler handler =
        request -> {
          asked.incrementAndGet();
          return CompletableFuture.completedFuture(InputResponse.accept());
        };

    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(
                            spec(server).build(),
                            "open_url",
                            JSON.writeValueAsString(Map.of("url", url))),
                        "go",
                        user("dave").inputHandler(handler).build()));

    assertThat(asked).hasValue(0);
    assertThat(failure)
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("'tickets'")
        .hasMessageContaining("URL");
    assertThat(failure.getMessage()).doesNotContain("secret-code").doesNotContain("consent");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://consent.example.com/grant?state=1",
        "http://127.0.0.1:8080/callback",
        "http://localhost/callback",
        "http://[::1]:9000/callback"
      })
  void anHttpsOrLoopbackUrlReachesTheHandlerAsData(String url) throws IOException {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    List<InputRequest> asked = new CopyOnWriteArrayList<>();
    InputHandler handler =
        request -> {
          asked.add(request);
          return CompletableFuture.completedFuture(InputResponse.accept());
        };

    RunResult result =
        runner()
            .run(
                agent(
                    spec(server).build(),
                    "open_url",
                    JSON.writeValueAsString(Map.of("url", url, "elicitationId", "e-1"))),
                "go",
                user("dave").inputHandler(handler).build());

    assertThat(onlyAnswer(result).get("action")).isEqualTo("accept");
    assertThat(asked)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.mode()).isEqualTo(InputRequest.Mode.URL);
              assertThat(request.url()).hasValueSatisfying(u -> assertThat(u).hasToString(url));
              assertThat(request.elicitationId()).contains("e-1");
              assertThat(request.message()).isEqualTo("Open this page to grant access for dave");
              assertThat(request.requestedSchema()).isEmpty();
            });
  }

  // ---------------------------------------------------------------- without a handler

  @Test
  void withoutAHandlerNoCapabilityIsDeclaredAndTheRunGoesOn() {
    EmbeddedMcpServer server = server(Mode.STATEFUL);

    RunResult result =
        runner().run(agent(spec(server).build(), "confirm", "{}"), "go", user("erin").build());

    assertThat(result.toolResults()).singleElement().satisfies(r -> assertThat(r.error()).isTrue());
    assertThat(server.requests())
        .filteredOn(r -> "initialize".equals(r.mcpMethod()))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).doesNotContain("elicitation"));
  }

  @Test
  void aRunWithoutAHandlerOnASessionThatDeclaredTheCapabilityDeclines() throws Exception {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    McpServerSpec spec = spec(server).build();
    Runner runner = runner();
    // The first run of the identity opens the session with a handler: the capability is declared.
    runner.run(
        agent(spec, "add", "{\"a\":1,\"b\":2}"),
        "go",
        user("frank")
            .inputHandler(request -> CompletableFuture.completedFuture(InputResponse.accept()))
            .build());

    RunResult result = runner.run(agent(spec, "confirm", "{}"), "go", user("frank").build());

    assertThat(onlyAnswer(result).get("action")).isEqualTo("decline");
    assertThat(server.requests()).filteredOn(r -> "initialize".equals(r.mcpMethod())).hasSize(1);
  }

  @Test
  void theRunnersDefaultHandlerAnswersRunsThatSetNone() {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    Runner runner =
        runner(
            Runners.builder()
                .inputHandler(
                    request ->
                        CompletableFuture.completedFuture(
                            InputResponse.accept(
                                Map.<String, Object>of(
                                    "confirmed", false, "note", request.identity().orElse("?"))))));

    RunResult result =
        runner.run(agent(spec(server).build(), "confirm", "{}"), "go", user("gina").build());

    assertThat(onlyAnswer(result).get("content"))
        .isEqualTo(Map.of("confirmed", false, "note", "gina"));
  }

  // ---------------------------------------------------------------- many runs at once

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void fiftyUsersInFlightAtOnceEachAnswerOnlyTheirOwnQuestion(Mode mode) throws Exception {
    int users = 50;
    EmbeddedMcpServer server = server(mode);
    Runner runner = runner();
    Agent agent = agent(spec(server).build(), "confirm", "{}");
    Map<String, List<InputRequest>> askedByRun = new ConcurrentHashMap<>();
    List<Runnable> answers = new CopyOnWriteArrayList<>();
    AtomicInteger waiting = new AtomicInteger();
    List<CompletableFuture<RunResult>> runs = new ArrayList<>();
    List<String> userIds = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String userId = "user-" + i;
      userIds.add(userId);
      InputHandler handler =
          request -> {
            askedByRun
                .computeIfAbsent(request.runId(), id -> new CopyOnWriteArrayList<>())
                .add(request);
            CompletableFuture<InputResponse> answer = new CompletableFuture<>();
            answers.add(
                () ->
                    answer.complete(
                        InputResponse.accept(
                            Map.<String, Object>of("confirmed", true, "note", userId))));
            // Every question waits until all users' questions are in flight at once.
            if (waiting.incrementAndGet() == users) {
              answers.forEach(Runnable::run);
            }
            return answer;
          };
      runs.add(
          runner.runAsync(
              agent, "go", user(userId).inputHandler(handler).inputTimeout(LONG_WAIT).build()));
    }

    for (int i = 0; i < users; i++) {
      RunResult result = runs.get(i).get(LONG_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      String userId = userIds.get(i);
      Map<String, Object> answer = onlyAnswer(result);
      // The server's call for this user received this user's answer, and nobody else's.
      assertThat(answer.get("userId")).as("call of %s", userId).isEqualTo(userId);
      assertThat(answer.get("action")).as("call of %s", userId).isEqualTo("accept");
      assertThat(answer.get("content"))
          .as("call of %s", userId)
          .isEqualTo(Map.of("confirmed", true, "note", userId));
      // This run's handler saw exactly one question: its own user's.
      assertThat(askedByRun.get(result.runId()))
          .as("questions of the run of %s", userId)
          .singleElement()
          .satisfies(
              request -> {
                assertThat(request.identity()).contains(userId);
                assertThat(request.message()).isEqualTo("Proceed for " + userId + "?");
              });
    }
    assertThat(askedByRun).hasSize(users);
    assertThat(waiting).hasValue(users);
  }

  @Test
  void runsOfOneIdentitySharingASessionEachGetTheirOwnQuestion() throws Exception {
    int runCount = 10;
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    Runner runner = runner();
    Agent agent = agent(spec(server).build(), "confirm", "{}");
    List<Runnable> answers = new CopyOnWriteArrayList<>();
    AtomicInteger waiting = new AtomicInteger();
    Map<String, String> noteByRun = new ConcurrentHashMap<>();
    List<CompletableFuture<RunResult>> runs = new ArrayList<>();
    for (int i = 0; i < runCount; i++) {
      String note = "run-" + i;
      InputHandler handler =
          request -> {
            assertThat(noteByRun.putIfAbsent(request.runId(), note)).isNull();
            CompletableFuture<InputResponse> answer = new CompletableFuture<>();
            answers.add(
                () ->
                    answer.complete(
                        InputResponse.accept(
                            Map.<String, Object>of("confirmed", true, "note", note))));
            if (waiting.incrementAndGet() == runCount) {
              answers.forEach(Runnable::run);
            }
            return answer;
          };
      runs.add(
          runner.runAsync(
              agent, "go", user("henry").inputHandler(handler).inputTimeout(LONG_WAIT).build()));
    }

    for (CompletableFuture<RunResult> run : runs) {
      RunResult result = run.get(LONG_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      Map<String, Object> answer = onlyAnswer(result);
      assertThat(answer.get("content"))
          .isEqualTo(Map.of("confirmed", true, "note", noteByRun.get(result.runId())));
    }
    assertThat(noteByRun).hasSize(runCount);
    // One identity, one session: the questions were told apart by the request they came with.
    Set<String> sessions = new java.util.HashSet<>();
    server.requests().stream()
        .filter(r -> r.isToolCall("confirm"))
        .forEach(r -> sessions.add(String.valueOf(r.sessionId())));
    assertThat(sessions).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = SessionStrategy.class,
      names = {"PER_IDENTITY", "SHARED"})
  void anUncorrelatedQuestionIsDeclinedWhenItCouldReachAnotherRun(SessionStrategy strategy)
      throws Exception {
    EmbeddedMcpServer server = server(Mode.SSE);
    McpServerSpec spec = spec(server).sessionStrategy(strategy).build();
    Runner runner = runner();
    AtomicInteger asked = new AtomicInteger();
    InputHandler handler =
        request -> {
          asked.incrementAndGet();
          return CompletableFuture.completedFuture(
              InputResponse.accept(Map.<String, Object>of("confirmed", true)));
        };
    // Another run of the same identity holds the session, blocked in a call.
    CompletableFuture<RunResult> blocked =
        runner.runAsync(
            agent(spec, "block", "{}"), "wait", user("ivan").inputHandler(handler).build());
    assertThat(server.awaitBlockedCalls(1, LONG_WAIT)).isTrue();

    RunResult result =
        runner.run(agent(spec, "confirm", "{}"), "go", user("ivan").inputHandler(handler).build());
    server.releaseBlocked();
    blocked.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(onlyAnswer(result).get("action")).isEqualTo("decline");
    assertThat(asked).hasValue(0);
  }

  @Test
  void underSharedEvenASingleRunNeverSeesAnUncorrelatedQuestion() {
    EmbeddedMcpServer server = server(Mode.SSE);
    McpServerSpec spec = spec(server).sessionStrategy(SessionStrategy.SHARED).build();
    Runner runner =
        runner(
            Runners.builder()
                .inputHandler(
                    request ->
                        CompletableFuture.completedFuture(
                            InputResponse.accept(Map.<String, Object>of("confirmed", true)))));

    RunResult result = runner.run(agent(spec, "confirm", "{}"), "go", user("judy").build());

    assertThat(onlyAnswer(result).get("action")).isEqualTo("decline");
    List<RecordedRequest> initializes =
        server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).toList();
    assertThat(initializes)
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("elicitation"));
  }
}
