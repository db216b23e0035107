package io.github.mcprunner.model.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelResponse;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Streamed chat completions come back whole however the server cuts them into chunks. */
class ChatStreamAccumulatorProperties {
  private static final ObjectMapper JSON = ObjectMappers.jsonMapper();

  /** One tool call of the answer: its name, its arguments and where the stream cuts them. */
  record Call(String name, String arguments, List<Integer> cuts) {}

  @Property(tries = 200)
  void toolCallsCutAnywhereAndInterleavedAreReassembledExactly(
      @ForAll("calls") List<Call> calls, @ForAll("text") String text, @ForAll long seed)
      throws Exception {
    List<ObjectNode> chunks = new ArrayList<>();
    // Content first, cut in two, as some servers send text before the calls.
    if (!text.isEmpty()) {
      int half = text.length() / 2;
      chunks.add(chunk(delta().put("content", text.substring(0, half))));
      chunks.add(chunk(delta().put("content", text.substring(half))));
    }
    // Each call opens with its id and name, then its argument pieces; calls interleave.
    List<List<ObjectNode>> perCall = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      Call call = calls.get(i);
      List<ObjectNode> pieces = new ArrayList<>();
      ObjectNode open = toolCall(i);
      open.put("id", "call_" + i).put("type", "function");
      open.putObject("function").put("name", call.name()).put("arguments", "");
      pieces.add(chunk(toolCallsDelta(open)));
      int from = 0;
      for (int cut : cutPoints(call)) {
        ObjectNode piece = toolCall(i);
        piece.putObject("function").put("arguments", call.arguments().substring(from, cut));
        pieces.add(chunk(toolCallsDelta(piece)));
        from = cut;
      }
      perCall.add(pieces);
    }
    java.util.Random random = new java.util.Random(seed);
    while (perCall.stream().anyMatch(p -> !p.isEmpty())) {
      List<ObjectNode> next = perCall.get(random.nextInt(perCall.size()));
      if (!next.isEmpty()) {
        chunks.add(next.remove(0));
      }
    }
    ObjectNode finish = chunk(delta());
    ((ObjectNode) finish.path("choices").get(0)).put("finish_reason", "tool_calls");
    chunks.add(finish);

    ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
    StringBuilder streamed = new StringBuilder();
    for (ObjectNode chunk : chunks) {
      String delta = accumulator.add(JSON.treeToValue(chunk, ChatCompletionChunk.class));
      if (delta != null) {
        streamed.append(delta);
      }
    }

    assertThat(accumulator.finished()).isTrue();
    ModelResponse response = accumulator.response();
    assertThat(streamed.toString()).isEqualTo(text);
    assertThat(response.text()).isEqualTo(text.isEmpty() ? null : text);
    List<InputItem.ToolCall> expected = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      expected.add(
          new InputItem.ToolCall("call_" + i, calls.get(i).name(), calls.get(i).arguments()));
    }
    assertThat(response.toolCalls()).containsExactlyElementsOf(expected);
  }

  private static List<Integer> cutPoints(Call call) {
    int length = call.arguments().length();
    List<Integer> points = new ArrayList<>();
    for (int cut : call.cuts()) {
      int point = length == 0 ? 0 : cut % (length + 1);
      points.add(point);
    }
    points.add(length);
    points.sort(Integer::compare);
    return points;
  }

  @Provide
  Arbitrary<List<Call>> calls() {
    Arbitrary<String> names = Arbitraries.of("whoami", "add", "list_tickets", "echo_headers");
    Arbitrary<String> arguments =
        Arbitraries.oneOf(
            Arbitraries.of(
                "{}", "{\"a\":2,\"b\":3}", "{\"status\":\"open\",\"q\":\"é ✓ \\\"x\\\"\"}"),
            Arbitraries.strings().withChars("{}[]\":,ab1 é\\").ofMaxLength(30));
    Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(0, 1000).list().ofMaxSize(6);
    return Combinators.combine(names, arguments, cuts)
        .as(Call::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().alpha().ofMaxLength(20));
  }

  private static ObjectNode delta() {
    return JSON.createObjectNode();
  }

  private static ObjectNode toolCall(int index) {
    return JSON.createObjectNode().put("index", index);
  }

  private static ObjectNode toolCallsDelta(ObjectNode toolCall) {
    ObjectNode delta = delta();
    ArrayNode calls = delta.putArray("tool_calls");
    calls.add(toolCall);
    return delta;
  }

  private static ObjectNode chunk(ObjectNode delta) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", "chatcmpl-p").put("object", "chat.completion.chunk").put("created", 1);
    chunk.put("model", "m");
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0).set("delta", delta);
    choice.putNull("finish_reason");
    return chunk;
  }
}
