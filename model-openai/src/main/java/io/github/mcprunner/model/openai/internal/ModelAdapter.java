package io.github.mcprunner.model.openai.internal;

import static java.util.Objects.requireNonNull;

import com.openai.client.OpenAIClient;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ModelStreamListener;
import io.github.mcprunner.model.openai.MalformedArguments;
import io.github.mcprunner.model.openai.OpenAiModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both APIs share: one model call, plain or streamed, its failures translated, and the
 * malformed-arguments policy applied to its tool calls.
 */
public abstract class ModelAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ModelAdapter.class);

  static final String MALFORMED_CALL_OUTPUT =
      "The arguments of this call are not a valid JSON object; call the tool again with a JSON"
          + " object as its arguments.";
  static final String SIBLING_NOT_RUN_OUTPUT =
      "Not run: another call of the same turn had arguments that are not a valid JSON object; call"
          + " this tool again if it is still needed.";

  /** The SDK client; thread-safe. */
  protected final OpenAIClient client;

  /** What failure messages name. */
  protected final Endpoint endpoint;

  private final MalformedArguments malformedArguments;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Creates the adapter. */
  protected ModelAdapter(
      OpenAIClient client, Endpoint endpoint, MalformedArguments malformedArguments) {
    this.client = requireNonNull(client, "client");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.malformedArguments = requireNonNull(malformedArguments, "malformedArguments");
  }

  /** Refuses later calls; closes the SDK client too when {@code closeClient}. */
  public void close(boolean closeClient) {
    if (!closed.getAndSet(true) && closeClient) {
      client.close();
    }
  }

  /** Returns the endpoint's description. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Asks the model, streaming its text to {@code listener} when there is one.
   *
   * @throws OpenAiModelException when the endpoint fails (after the SDK's retries) or the model's
   *     tool-call arguments break the malformed-arguments policy
   * @throws IllegalStateException once the model was closed
   */
  public final ModelResponse respond(ModelRequest request, @Nullable ModelStreamListener listener) {
    requireNonNull(request, "request");
    if (closed.get()) {
      throw new IllegalStateException(
          "The OpenAI model '" + endpoint.model() + "' was closed; build a new one");
    }
    ModelResponse first = call(request, listener);
    List<InputItem.ToolCall> malformed = malformed(first);
    if (malformed.isEmpty() || malformedArguments == MalformedArguments.PASS_THROUGH) {
      return first;
    }
    if (malformedArguments == MalformedArguments.FAIL) {
      throw malformedFailure(request, malformed.get(0), false);
    }
    ModelResponse second = call(retryRequest(request, first), listener);
    List<InputItem.ToolCall> again = malformed(second);
    if (!again.isEmpty()) {
      throw malformedFailure(request, again.get(0), true);
    }
    return new ModelResponse(
        joinText(first.text(), second.text()),
        second.toolCalls(),
        first.usage().plus(second.usage()));
  }

  /** One call of the API, without streaming. */
  protected abstract ModelResponse once(ModelRequest request);

  /** One call of the API, reporting text deltas to {@code listener}. */
  protected abstract ModelResponse streamed(ModelRequest request, ModelStreamListener listener);

  private ModelResponse call(ModelRequest request, @Nullable ModelStreamListener listener) {
    LOG.debug(
        "{} call for agent '{}' with {} input items and {} tools{}",
        endpoint.api(),
        request.agentName(),
        request.input().size(),
        request.tools().size(),
        listener == null ? "" : ", streamed");
    try {
      return listener == null ? once(request) : streamed(request, new GuardedListener(listener));
    } catch (ListenerFailure e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw Failures.translate(e, endpoint, request.agentName());
    }
  }

  private static List<InputItem.ToolCall> malformed(ModelResponse response) {
    List<InputItem.ToolCall> malformed = new ArrayList<>();
    for (InputItem.ToolCall call : response.toolCalls()) {
      if (!Json.isArgumentsObject(call.argumentsJson())) {
        malformed.add(call);
      }
    }
    return malformed;
  }

  /** The conversation again, with the first answer's calls each answered by a tool error. */
  private static ModelRequest retryRequest(ModelRequest request, ModelResponse first) {
    List<InputItem> input = new ArrayList<>(request.input());
    String text = first.text();
    if (text != null && !text.isEmpty()) {
      input.add(InputItem.Message.assistant(text));
    }
    input.addAll(first.toolCalls());
    for (InputItem.ToolCall call : first.toolCalls()) {
      boolean bad = !Json.isArgumentsObject(call.argumentsJson());
      input.add(
          new InputItem.ToolResult(
              call.callId(),
              call.name(),
              bad ? MALFORMED_CALL_OUTPUT : SIBLING_NOT_RUN_OUTPUT,
              true));
    }
    return new ModelRequest(
        request.agentName(), request.instructions(), input, request.tools(), request.settings());
  }

  private OpenAiModelException malformedFailure(
      ModelRequest request, InputItem.ToolCall call, boolean afterRetry) {
    return new OpenAiModelException(
        endpoint.describe(request.agentName())
            + " called tool '"
            + call.name()
            + "' with arguments that are not a JSON object"
            + (afterRetry ? " again after it was told so" : "")
            + " (the arguments are not shown)",
        0,
        null,
        null);
  }

  private static @Nullable String joinText(@Nullable String first, @Nullable String second) {
    if (first == null || first.isEmpty()) {
      return second;
    }
    if (second == null || second.isEmpty()) {
      return first;
    }
    return first + "\n" + second;
  }

  /** Lets the listener's own failures through untranslated. */
  private static final class GuardedListener implements ModelStreamListener {
    private final ModelStreamListener delegate;

    GuardedListener(ModelStreamListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onTextDelta(String delta) {
      try {
        delegate.onTextDelta(delta);
      } catch (RuntimeException e) {
        throw new ListenerFailure(e);
      }
    }
  }

  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) requireNonNull(super.getCause());
    }
  }
}
