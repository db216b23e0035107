package io.github.mcprunner.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelResponse;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ScriptedModelProperties {

  @Property
  void theTurnPlayedIsTheNumberOfToolTurnsAnsweredInTheInput(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 4) Integer> callsPerTurn,
      @ForAll @IntRange(min = 0, max = 6) int answeredTurns) {
    ScriptedModel.Builder builder = ScriptedModel.builder();
    for (int turn = 0; turn < callsPerTurn.size(); turn++) {
      List<ScriptedModel.Call> calls = new ArrayList<>();
      for (int i = 0; i < callsPerTurn.get(turn); i++) {
        calls.add(ScriptedModel.call("tool" + turn, "{\"i\":" + i + "}"));
      }
      builder.callTools(calls);
    }
    ScriptedModel model = builder.answer("the end").build();
    int turns = Math.min(answeredTurns, callsPerTurn.size());

    List<InputItem> input = new ArrayList<>(List.of(InputItem.Message.user("go")));
    for (int turn = 0; turn < turns; turn++) {
      ModelResponse response = model.respond(ScriptedModelTest.request(input));
      input = ScriptedModelTest.withResults(input, response, "out" + turn);
    }
    ModelResponse next = model.respond(ScriptedModelTest.request(input));

    assertThat(ScriptedModel.turnOf(ScriptedModelTest.request(input))).isEqualTo(turns);
    if (turns == callsPerTurn.size()) {
      assertThat(next.text()).isEqualTo("the end");
    } else {
      assertThat(next.toolCalls()).hasSize(callsPerTurn.get(turns));
      assertThat(next.toolCalls())
          .allSatisfy(call -> assertThat(call.callId()).startsWith("call_" + turns + "_"))
          .allSatisfy(call -> assertThat(call.name()).isEqualTo("tool" + turns));
    }
  }

  @Property
  void deltasAlwaysJoinToTheTextAndAreAtMostThree(@ForAll String text) {
    List<String> deltas = ScriptedModel.deltasOf(text);
    assertThat(String.join("", deltas)).isEqualTo(text);
    assertThat(deltas).hasSizeBetween(1, 3);
  }
}
