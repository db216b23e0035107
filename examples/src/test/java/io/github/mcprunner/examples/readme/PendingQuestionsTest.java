package io.github.mcprunner.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's web service answering a user's question asynchronously, run as written. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PendingQuestionsTest {

  @Test
  void theUserAnswersOnAnotherRequestAndTheRunGoesOn() throws Exception {
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        PendingQuestionsService service = new PendingQuestionsService(server.url().toString())) {

      RunStream run = service.ask("ada", "Close my tickets");
      // The run reports the question once the handler has it (a page could push it from here).
      awaitInputRequested(run);

      // Another request of the service: Ada's page asks for her open questions.
      List<PendingQuestions.Question> open = service.questions.openQuestions("ada");
      assertThat(open).hasSize(1);
      PendingQuestions.Question question = open.get(0);
      assertThat(question.request().mode()).isEqualTo(InputRequest.Mode.FORM);
      assertThat(question.request().message()).isEqualTo("Proceed for ada?");
      assertThat(service.questions.openQuestions("bob")).isEmpty();
      // Bob cannot answer Ada's question; Ada can.
      assertThat(
              service.questions.answer(
                  "bob", question.id(), InputResponse.accept(Map.of("confirmed", false))))
          .isFalse();
      assertThat(
              service.questions.answer(
                  "ada", question.id(), InputResponse.accept(Map.of("confirmed", true))))
          .isTrue();

      RunResult result = run.result().get(30, TimeUnit.SECONDS);
      assertThat(result.finalOutput())
          .contains("\"userId\":\"ada\"")
          .contains("\"action\":\"accept\"")
          .contains("\"confirmed\":true");
      assertThat(service.questions.openQuestions("ada")).isEmpty();
    }
  }

  private static void awaitInputRequested(RunStream run) throws Exception {
    CompletableFuture<RunEvent> requested = new CompletableFuture<>();
    run.subscribe(
        new Flow.Subscriber<RunEvent>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(RunEvent event) {
            if (event instanceof RunEvent.InputRequested) {
              requested.complete(event);
            }
          }

          @Override
          public void onError(Throwable error) {
            requested.completeExceptionally(error);
          }

          @Override
          public void onComplete() {
            requested.completeExceptionally(new AssertionError("the run asked nothing"));
          }
        });
    requested.get(30, TimeUnit.SECONDS);
  }

  /** The service around the handler: one runner, the user's id in each run's context. */
  private static final class PendingQuestionsService implements AutoCloseable {
    final PendingQuestions questions = new PendingQuestions();
    final Runner runner =
        Runners.builder().inputHandler(questions).inputTimeout(Duration.ofMinutes(2)).build();
    final Agent agent;

    PendingQuestionsService(String serverUrl) {
      ScriptedModel model =
          ScriptedModel.builder()
              .callTool("confirm", "{}")
              .answer(request -> ScriptedModel.lastToolOutput(request))
              .build();
      agent =
          Agent.builder("support")
              .model(model)
              .mcpServer(
                  // The call waits for the user: its timeout covers the input timeout.
                  McpServerSpec.builder("tickets", serverUrl)
                      .requestTimeout(Duration.ofMinutes(3))
                      .build())
              .build();
    }

    RunStream ask(String userId, String input) {
      return runner.runStreamed(
          agent,
          input,
          RunOptions.builder()
              .identity(userId)
              .context(ContextKey.USER_ID, userId)
              .mcpHeaders(McpHeaders.of("X-User-Id", userId))
              .build());
    }

    @Override
    public void close() {
      runner.close();
    }
  }
}
