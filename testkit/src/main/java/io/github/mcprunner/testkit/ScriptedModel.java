package io.github.mcprunner.testkit;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelStreamListener;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted {@link Model} for tests: plays a fixed list of turns (tool calls, then a final answer)
 * without calling any language model.
 *
 * <pre>{@code
 * ScriptedModel model = ScriptedModel.builder()
 *     .callTool("whoami", "{}")
 *     .callTools(List.of(ScriptedModel.call("add", "{\"a\":1,\"b\":2}"),
 *                        ScriptedModel.call("whoami", "{}")))
 *     .answer(request -> "Done: " + ScriptedModel.lastToolOutput(request))
 *     .build();
 * }</pre>
 *
 * <p><b>Stateless.</b> One instance serves any number of concurrent runs: it keeps no cursor. The
 * turn to play is derived from the request: it is the number of tool-call turns whose results are
 * already in {@link ModelRequest#input()}. Tool calls get deterministic ids {@code
 * call_<turn>_<index>} (turn and index from 0), and the turn count is the number of distinct turns
 * among the {@link InputItem.ToolResult}s carrying such ids. When no result carries such an id
 * (someone else's ids), the count is the number of runs of consecutive tool results.
 *
 * <p>When the script has no turn left (it ends with tool calls, or is empty), the model answers
 * with the output of the last tool result in the input, or an empty text when there is none.
 *
 * <p>Every response reports the same {@link Usage} ({@link Builder#usagePerTurn(Usage)}, default 10
 * input and 5 output tokens), so a run's total is easy to predict.
 *
 * <p>Thread-safe. For assertions it counts the requests served ({@link #requestCount()}) and keeps
 * them ({@link #requests()}).
 */
public final class ScriptedModel implements Model {

  private static final Pattern CALL_ID = Pattern.compile("call_(\\d+)_(\\d+)");

  /** The default usage reported per turn. */
  public static final Usage DEFAULT_USAGE = new Usage(10, 5);

  /**
   * A tool call of a scripted turn.
   *
   * @param name the tool's name
   * @param argumentsJson its arguments, a JSON object as text
   */
  public record Call(String name, String argumentsJson) {
    /** Checks that no part is null. */
    public Call {
      requireNonNull(name, "name");
      requireNonNull(argumentsJson, "argumentsJson");
    }
  }

  private sealed interface Step {}

  private record ToolCallsStep(List<Call> calls) implements Step {}

  private record AnswerStep(Function<ModelRequest, String> answer) implements Step {}

  private final List<Step> steps;
  private final Usage usage;
  private final AtomicInteger requestCount = new AtomicInteger();

  /** How many of the latest requests {@link #requests()} keeps, so long runs do not fill memory. */
  public static final int MAX_KEPT_REQUESTS = 10_000;

  private final ConcurrentLinkedQueue<ModelRequest> requests = new ConcurrentLinkedQueue<>();

  private ScriptedModel(Builder builder) {
    this.steps = List.copyOf(builder.steps);
    this.usage = builder.usage;
  }

  /** Returns a builder for a script. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a model that answers {@code text} at once, without calling tools. */
  public static ScriptedModel answering(String text) {
    requireNonNull(text, "text");
    return builder().answer(request -> text).build();
  }

  /** Returns a tool call for {@link Builder#callTools(List)}. */
  public static Call call(String name, String argumentsJson) {
    return new Call(name, argumentsJson);
  }

  /** Returns the output of the last tool result in the request's input, or empty text. */
  public static String lastToolOutput(ModelRequest request) {
    List<InputItem> input = request.input();
    for (int i = input.size() - 1; i >= 0; i--) {
      if (input.get(i) instanceof InputItem.ToolResult result) {
        return result.output();
      }
    }
    return "";
  }

  /** Returns the outputs of every tool result in the request's input, in order. */
  public static List<String> toolOutputs(ModelRequest request) {
    List<String> outputs = new ArrayList<>();
    for (InputItem item : request.input()) {
      if (item instanceof InputItem.ToolResult result) {
        outputs.add(result.output());
      }
    }
    return List.copyOf(outputs);
  }

  /**
   * Returns the index of the turn the model plays for {@code request}: the number of tool-call
   * turns already answered in its input (see the class documentation).
   */
  public static int turnOf(ModelRequest request) {
    Set<Integer> turns = new HashSet<>();
    int runs = 0;
    boolean inRun = false;
    for (InputItem item : request.input()) {
      if (item instanceof InputItem.ToolResult result) {
        Matcher matcher = CALL_ID.matcher(result.callId());
        if (matcher.matches()) {
          turns.add(Integer.parseInt(matcher.group(1)));
        }
        if (!inRun) {
          runs++;
          inRun = true;
        }
      } else {
        inRun = false;
      }
    }
    return turns.isEmpty() ? runs : turns.size();
  }

  @Override
  public ModelResponse respond(ModelRequest request) {
    requireNonNull(request, "request");
    requestCount.incrementAndGet();
    requests.add(request);
    if (requestCount.get() > MAX_KEPT_REQUESTS) {
      requests.poll();
    }
    int turn = turnOf(request);
    Step step = turn < steps.size() ? steps.get(turn) : null;
    if (step instanceof ToolCallsStep toolCalls) {
      List<InputItem.ToolCall> calls = new ArrayList<>();
      for (int i = 0; i < toolCalls.calls().size(); i++) {
        Call call = toolCalls.calls().get(i);
        calls.add(
            new InputItem.ToolCall("call_" + turn + "_" + i, call.name(), call.argumentsJson()));
      }
      return new ModelResponse(null, calls, usage);
    }
    String text =
        step instanceof AnswerStep answer
            ? requireNonNull(answer.answer().apply(request), "the scripted answer returned null")
            : lastToolOutput(request);
    return new ModelResponse(text, List.of(), usage);
  }

  /** Plays the same turn as {@link #respond}, reporting a final answer's text in up to 3 deltas. */
  @Override
  public ModelResponse respondStreaming(ModelRequest request, ModelStreamListener listener) {
    requireNonNull(listener, "listener");
    ModelResponse response = respond(request);
    response.textValue().ifPresent(text -> deltasOf(text).forEach(listener::onTextDelta));
    return response;
  }

  /** Returns the number of requests served so far. */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * Returns the requests served so far, in the order they arrived; at most the latest {@value
   * #MAX_KEPT_REQUESTS}.
   */
  public List<ModelRequest> requests() {
    return List.copyOf(requests);
  }

  /** Splits {@code text} into up to three non-empty pieces, never inside a surrogate pair. */
  static List<String> deltasOf(String text) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints <= 1) {
      return List.of(text);
    }
    int pieces = Math.min(3, codePoints);
    List<String> deltas = new ArrayList<>(pieces);
    int start = 0;
    for (int piece = 1; piece <= pieces; piece++) {
      int end =
          piece == pieces
              ? text.length()
              : text.offsetByCodePoints(0, (int) ((long) codePoints * piece / pieces));
      deltas.add(text.substring(start, end));
      start = end;
    }
    return List.copyOf(deltas);
  }

  @Override
  public String toString() {
    return "ScriptedModel{steps=" + steps.size() + "}";
  }

  /** Builds a {@link ScriptedModel}. Not thread-safe. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private Usage usage = DEFAULT_USAGE;
    private boolean answered;

    private Builder() {}

    /** Adds a turn that calls one tool with {@code argumentsJson}. */
    public Builder callTool(String name, String argumentsJson) {
      return callTools(List.of(call(name, argumentsJson)));
    }

    /**
     * Adds a turn that calls several tools at once (parallel tool calls).
     *
     * @throws IllegalArgumentException if {@code calls} is empty
     * @throws IllegalStateException if the script already ends with an answer
     */
    public Builder callTools(List<Call> calls) {
      List<Call> copy = List.copyOf(requireNonNull(calls, "calls"));
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("a tool-call turn needs at least one call");
      }
      return add(new ToolCallsStep(copy));
    }

    /**
     * Adds the final answer, computed from the request (e.g. from {@link #lastToolOutput}).
     *
     * @throws IllegalStateException if the script already ends with an answer
     */
    public Builder answer(Function<ModelRequest, String> answer) {
      add(new AnswerStep(requireNonNull(answer, "answer")));
      answered = true;
      return this;
    }

    /** Adds the final answer {@code text}. */
    public Builder answer(String text) {
      requireNonNull(text, "text");
      return answer(request -> text);
    }

    /** Sets the usage every response reports; defaults to {@link #DEFAULT_USAGE}. */
    public Builder usagePerTurn(Usage usage) {
      this.usage = requireNonNull(usage, "usage");
      return this;
    }

    private Builder add(Step step) {
      if (answered) {
        throw new IllegalStateException(
            "the script already ends with an answer: no turn can follow it");
      }
      steps.add(step);
      return this;
    }

    /** Returns the model. */
    public ScriptedModel build() {
      return new ScriptedModel(this);
    }
  }
}
