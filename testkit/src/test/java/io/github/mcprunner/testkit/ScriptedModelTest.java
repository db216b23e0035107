package io.github.mcprunner.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelSettings;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScriptedModelTest {

  static ModelRequest request(List<InputItem> input) {
    return new ModelRequest("agent", "be brief", input, List.of(), ModelSettings.defaults());
  }

  static List<InputItem> withResults(List<InputItem> input, ModelResponse response, String output) {
    List<InputItem> next = new ArrayList<>(input);
    next.addAll(response.toolCalls());
    for (InputItem.ToolCall call : response.toolCalls()) {
      next.add(
          new InputItem.ToolResult(call.callId(), call.name(), output + ":" + call.name(), false));
    }
    return next;
  }

  private static final ScriptedModel SCRIPT =
      ScriptedModel.builder()
          .callTool("whoami", "{}")
          .callTools(
              List.of(
                  ScriptedModel.call("add", "{\"a\":1,\"b\":2}"),
                  ScriptedModel.call("whoami", "{}")))
          .answer(request -> "Done: " + ScriptedModel.lastToolOutput(request))
          .build();

  @Test
  void playsTheTurnGivenByTheToolResultsInTheInput() {
    List<InputItem> input = List.of(InputItem.Message.user("hi"));

    ModelResponse first = SCRIPT.respond(request(input));
    assertThat(first.textValue()).isEmpty();
    assertThat(first.toolCalls())
        .containsExactly(new InputItem.ToolCall("call_0_0", "whoami", "{}"));

    input = withResults(input, first, "r0");
    ModelResponse second = SCRIPT.respond(request(input));
    assertThat(second.toolCalls())
        .containsExactly(
            new InputItem.ToolCall("call_1_0", "add", "{\"a\":1,\"b\":2}"),
            new InputItem.ToolCall("call_1_1", "whoami", "{}"));

    input = withResults(input, second, "r1");
    ModelResponse last = SCRIPT.respond(request(input));
    assertThat(last.toolCalls()).isEmpty();
    assertThat(last.text()).isEqualTo("Done: r1:whoami");
    assertThat(last.usage()).isEqualTo(ScriptedModel.DEFAULT_USAGE);

    // Asking again for an earlier turn plays that turn again: nothing is remembered.
    assertThat(SCRIPT.respond(request(List.of(InputItem.Message.user("hi")))).toolCalls())
        .containsExactly(new InputItem.ToolCall("call_0_0", "whoami", "{}"));
  }

  @Test
  void concurrentRunsEachGetTheirOwnAnswer() throws Exception {
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("lookup", "{}")
            .callTool("lookup", "{}")
            .answer(request -> "answer for " + ScriptedModel.toolOutputs(request))
            .build();
    int runs = 32;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        String id = "run" + run;
        answers.add(
            pool.submit(
                () -> {
                  List<InputItem> input = List.of(InputItem.Message.user(id));
                  while (true) {
                    ModelResponse response = model.respond(request(input));
                    if (response.toolCalls().isEmpty()) {
                      return response.text();
                    }
                    input = withResults(input, response, id);
                  }
                }));
      }
      for (int run = 0; run < runs; run++) {
        assertThat(answers.get(run).get(30, TimeUnit.SECONDS))
            .isEqualTo("answer for [run" + run + ":lookup, run" + run + ":lookup]");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(model.requestCount()).isEqualTo(runs * 3);
    assertThat(model.requests()).hasSize(runs * 3);
  }

  @Test
  void whenTheScriptRunsOutItAnswersTheLastToolOutput() {
    ScriptedModel model = ScriptedModel.builder().callTool("whoami", "{}").build();
    ModelResponse first = model.respond(request(List.of(InputItem.Message.user("hi"))));
    ModelResponse second =
        model.respond(request(withResults(List.of(InputItem.Message.user("hi")), first, "me")));

    assertThat(second.toolCalls()).isEmpty();
    assertThat(second.text()).isEqualTo("me:whoami");
    assertThat(ScriptedModel.builder().build().respond(request(List.of())).text()).isEmpty();
  }

  @Test
  void answeringAnswersAtOnce() {
    ModelResponse response =
        ScriptedModel.answering("hello").respond(request(List.of(InputItem.Message.user("hi"))));
    assertThat(response.text()).isEqualTo("hello");
    assertThat(response.toolCalls()).isEmpty();
  }

  @Test
  void foreignCallIdsAreCountedByRunsOfToolResults() {
    List<InputItem> input =
        List.of(
            InputItem.Message.user("hi"),
            new InputItem.ToolCall("x", "whoami", "{}"),
            new InputItem.ToolResult("x", "whoami", "a", false),
            new InputItem.ToolCall("y", "add", "{}"),
            new InputItem.ToolCall("z", "add", "{}"),
            new InputItem.ToolResult("y", "add", "b", false),
            new InputItem.ToolResult("z", "add", "c", false));
    assertThat(ScriptedModel.turnOf(request(input))).isEqualTo(2);
    assertThat(SCRIPT.respond(request(input)).text()).isEqualTo("Done: c");
  }

  @Test
  void streamingReportsTheAnswerInAFewDeltasThatMakeUpTheText() {
    ScriptedModel model = ScriptedModel.answering("héllo wörld 😀!");
    List<String> deltas = new ArrayList<>();
    ModelResponse response =
        model.respondStreaming(request(List.of(InputItem.Message.user("hi"))), deltas::add);

    assertThat(deltas).hasSizeBetween(2, 3);
    assertThat(String.join("", deltas)).isEqualTo("héllo wörld 😀!");
    assertThat(response.text()).isEqualTo("héllo wörld 😀!");
    assertThat(ScriptedModel.deltasOf("😀😀")).containsExactly("😀", "😀");

    List<String> none = new ArrayList<>();
    ScriptedModel.builder()
        .callTool("whoami", "{}")
        .build()
        .respondStreaming(request(List.of()), none::add);
    assertThat(none).isEmpty();
  }

  @Test
  void usagePerTurnIsReportedOnEveryResponse() {
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("a", "{}")
            .answer("x")
            .usagePerTurn(new Usage(3, 4))
            .build();
    assertThat(model.respond(request(List.of())).usage()).isEqualTo(new Usage(3, 4));
  }

  @Test
  void nothingCanFollowTheAnswer() {
    ScriptedModel.Builder builder = ScriptedModel.builder().answer("done");
    assertThatThrownBy(() -> builder.callTool("whoami", "{}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answer");
    assertThatThrownBy(() -> ScriptedModel.builder().callTools(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
