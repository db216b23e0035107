package io.github.mcprunner;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Answers an MCP server's question to the user behind a run (MCP elicitation): a form to fill in
 * ({@link InputRequest.Mode#FORM}) or a URL to open ({@link InputRequest.Mode#URL}, e.g. a
 * downstream API's consent page). Set per run with {@link RunOptions.Builder#inputHandler} or for
 * every run on the runner's builder; a run without one declines every question.
 *
 * <p>The runner routes each question to the handler of the run it belongs to, never to another
 * run's. The answer is asynchronous: a web service can return a stage at once, show the question to
 * its user on another request, and complete the stage when the answer arrives; the tool call then
 * continues. A stage not completed within the run's {@linkplain RunOptions.Builder#inputTimeout
 * input timeout} ends with {@link InputResponse#cancel()}; a handler that throws or fails its stage
 * answers {@code cancel} too, and the run then fails with the handler's error.
 *
 * <pre>{@code
 * InputHandler handler = request -> questions.ask(request.runId(), request); // a CompletionStage
 * runner.run(agent, "Book the trip", RunOptions.builder().inputHandler(handler).build());
 * }</pre>
 *
 * <p>Called on a transport thread: return quickly and never block there. A URL is handed over as
 * data (absolute {@code https}, or {@code http} to a loopback host; the runner refuses any other
 * before the handler sees it) and never opened by the runner.
 */
@FunctionalInterface
public interface InputHandler {

  /**
   * The bound on the wait for an answer when neither the run nor the runner sets one: 45 seconds,
   * below the default request timeout of a tool call (60 seconds), so the server receives {@code
   * cancel} before the call itself times out.
   */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(45);

  /**
   * Asks the run's user {@code request} and returns the answer.
   *
   * @param request the question, with the server and run it comes from
   * @return the user's answer; never null
   */
  CompletionStage<InputResponse> requestInput(InputRequest request);
}
