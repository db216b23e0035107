package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.InputHandler;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The rules of {@link Elicitation}: which URLs reach a handler, defaults, refusals, no handler. */
class ElicitationProperties {
  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
  private static final McpServerSpec SERVER =
      McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp").build();

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(label -> !label.startsWith("-") && !label.endsWith("-"))
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(labels -> String.join(".", labels) + ".example");
  }

  @Property
  void anHttpsUrlToAnyHostIsHandedOverUnchanged(
      @ForAll("hosts") String host, @ForAll("hosts") String path) {
    String url = "https://" + host + "/" + path + "?state=1";

    assertThat(Elicitation.checkedUrl(url)).hasToString(url);
  }

  @Property
  void plainHttpOffLoopbackIsRefusedWithoutRepeatingTheUrl(
      @ForAll("hosts") String host, @ForAll("hosts") String secret) {
    String url = "http://" + host + "/grant?code=" + secret;

    assertThatThrownBy(() -> Elicitation.checkedUrl(url))
        .isInstanceOf(Elicitation.RefusedQuestion.class)
        .hasMessageContaining("neither https nor http to a loopback host")
        .hasMessageNotContaining(host)
        .hasMessageNotContaining(secret);
  }

  @Property
  void plainHttpToLoopbackIsHandedOver(
      @ForAll("loopbackHosts") String host, @ForAll("hosts") String path) {
    String url = "http://" + host + ":8080/" + path;

    assertThat(Elicitation.checkedUrl(url)).hasToString(url);
  }

  @Provide
  Arbitrary<String> loopbackHosts() {
    return Arbitraries.oneOf(
        Arbitraries.of("localhost", "LOCALHOST", "[::1]"),
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(3)
            .map(parts -> "127." + parts.get(0) + "." + parts.get(1) + "." + parts.get(2)));
  }

  @Example
  void lookalikesOfLoopbackAreRefused() {
    for (String url :
        List.of(
            "http://127.0.0.1.attacker.example/x",
            "http://localhost.attacker.example/x",
            "http://128.0.0.1/x",
            "http://127.0.0.256/x",
            "http://user@localhost/x",
            "https://user:password@host.example/x",
            "mailto:someone@host.example",
            "data:text/html,hi",
            "//host.example/x")) {
      assertThatThrownBy(() -> Elicitation.checkedUrl(url))
          .as(url)
          .isInstanceOf(Elicitation.RefusedQuestion.class);
    }
  }

  @Property
  void defaultsFillOnlyTheFieldsTheUserLeftOut(
      @ForAll("fieldNames") List<String> given, @ForAll("fieldNames") List<String> withDefaults) {
    Map<String, Object> content = new LinkedHashMap<>();
    given.forEach(name -> content.put(name, "user:" + name));
    Map<String, Object> properties = new LinkedHashMap<>();
    withDefaults.forEach(name -> properties.put(name, Map.of("type", "string", "default", "d")));

    Map<String, Object> filled =
        Elicitation.withDefaults(content, Map.of("type", "object", "properties", properties));

    for (String name : given) {
      assertThat(filled).containsEntry(name, "user:" + name);
    }
    for (String name : withDefaults) {
      if (!given.contains(name)) {
        assertThat(filled).containsEntry(name, "d");
      }
    }
    assertThat(filled.keySet()).hasSize((int) filled.keySet().stream().distinct().count());
    assertThat(filled)
        .hasSize(
            (int)
                java.util.stream.Stream.concat(given.stream(), withDefaults.stream())
                    .distinct()
                    .count());
  }

  @Provide
  Arbitrary<List<String>> fieldNames() {
    return Arbitraries.of("name", "age", "score", "status", "verified").list().uniqueElements();
  }

  private static RunScope run(InputHandler handler, Duration timeout) {
    return RunScope.builder("support", "run-1")
        .identity("alice")
        .input(RunInput.of(handler, timeout))
        .build();
  }

  private static Map<String, Object> form() {
    return Map.of(
        "message",
        "Which account?",
        "requestedSchema",
        Map.of("type", "object", "properties", Map.of("account", Map.of("type", "string"))));
  }

  @Example
  void withoutAHandlerEveryQuestionIsDeclinedAtOnce() throws Exception {
    RunScope run = RunScope.builder("support", "run-1").build();

    Map<String, Object> result =
        Elicitation.answer(SERVER, run, Map.of("mode", "url", "url", "http://bad"), JSON)
            .toCompletableFuture()
            .get(1, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(Map.of("action", "decline"));
    assertThat(run.input().takeFailure()).isNull();
  }

  @Example
  void aRefusedUrlFailsTheRunNamingTheServerAndNeverReachesTheHandler() {
    List<InputRequest> asked = new CopyOnWriteArrayList<>();
    RunScope run =
        run(
            request -> {
              asked.add(request);
              return CompletableFuture.completedFuture(InputResponse.accept());
            },
            Duration.ofSeconds(5));

    CompletableFuture<Map<String, Object>> result =
        Elicitation.answer(
                SERVER,
                run,
                Map.of("mode", "url", "url", "http://evil.example/?t=abc", "elicitationId", "e"),
                JSON)
            .toCompletableFuture();

    assertThat(result).isCompletedExceptionally();
    assertThat(asked).isEmpty();
    assertThat(run.input().takeFailure())
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining("run-1")
        .hasMessageNotContaining("evil");
  }

  @Example
  void anUnknownModeIsRefusedWithoutFailingTheRun() {
    RunScope run =
        run(
            request -> CompletableFuture.completedFuture(InputResponse.accept()),
            Duration.ofSeconds(5));

    CompletableFuture<Map<String, Object>> result =
        Elicitation.answer(SERVER, run, Map.of("mode", "telepathy", "message", "hi"), JSON)
            .toCompletableFuture();

    assertThat(result).isCompletedExceptionally();
    assertThat(run.input().takeFailure()).isNull();
  }

  @Example
  void theHandlerSeesTheRunAndTheFormAndItsAnswerGoesBackWithDefaults() throws Exception {
    List<InputRequest> asked = new CopyOnWriteArrayList<>();
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    RunScope run =
        run(
            request -> {
              asked.add(request);
              return CompletableFuture.completedFuture(InputResponse.accept());
            },
            Duration.ofSeconds(5));
    run.input().publishTo(events::add);
    Map<String, Object> params =
        Map.of(
            "message",
            "Which account?",
            "requestedSchema",
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("account", Map.of("type", "string", "default", "main"))));

    Map<String, Object> result =
        Elicitation.answer(SERVER, run, params, JSON)
            .toCompletableFuture()
            .get(1, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(Map.of("action", "accept", "content", Map.of("account", "main")));
    assertThat(asked)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.runId()).isEqualTo("run-1");
              assertThat(request.identity()).contains("alice");
              assertThat(request.serverName()).isEqualTo("crm");
              assertThat(request.requestedSchema())
                  .hasValueSatisfying(s -> assertThat(s).contains("main"));
            });
    assertThat(events)
        .containsExactly(
            new RunEvent.InputRequested("run-1", asked.get(0)),
            new RunEvent.InputAnswered("run-1", "crm", InputResponse.Action.ACCEPT));
  }

  @Example
  void cancellingTheRunAnswersItsWaitingQuestionCancelAndCancelsTheHandlersStage()
      throws Exception {
    CompletableFuture<InputResponse> handed = new CompletableFuture<>();
    RunScope run = run(request -> handed, Duration.ofMinutes(5));

    CompletableFuture<Map<String, Object>> result =
        Elicitation.answer(SERVER, run, form(), JSON).toCompletableFuture();
    assertThat(result).isNotDone();
    run.cancel();

    assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo(Map.of("action", "cancel"));
    assertThat(handed).isCancelled();
    assertThat(run.input().takeFailure()).isNull();
  }

  @Example
  void aRunCancelledWhileItsHandlerTakesTheQuestionReportsItAndItsCancelBeforeItFails()
      throws Exception {
    RunScope[] run = new RunScope[1];
    run[0] =
        run(
            request -> {
              run[0].cancel(); // the user cancels while the handler is still taking the question
              return new CompletableFuture<>();
            },
            Duration.ofMinutes(5));
    // As a streamed run's events: closed once the run hears of its cancellation and fails.
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();
    run[0]
        .input()
        .publishTo(
            event -> {
              if (!failed.get()) {
                events.add(event);
              }
            });
    run[0].onCancel(() -> failed.set(true));

    Map<String, Object> result =
        Elicitation.answer(SERVER, run[0], form(), JSON)
            .toCompletableFuture()
            .get(1, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(Map.of("action", "cancel"));
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(RunEvent.InputRequested.class);
    assertThat(events.get(1))
        .isEqualTo(new RunEvent.InputAnswered("run-1", "crm", InputResponse.Action.CANCEL));
  }

  @Example
  void aHandlerReturningNullAnswersCancelAndFailsTheRun() throws Exception {
    RunScope run = run(request -> null, Duration.ofSeconds(5));

    Map<String, Object> result =
        Elicitation.answer(SERVER, run, form(), JSON)
            .toCompletableFuture()
            .get(1, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(Map.of("action", "cancel"));
    assertThat(run.input().takeFailure())
        .hasMessageContaining("input handler of run run-1")
        .hasMessageContaining("'crm'");
  }
}
