package io.github.mcprunner.observe;

import io.github.mcprunner.model.Usage;

/**
 * The observation of one run: told of its model turns, its MCP requests and its end, in the order
 * they happen. A run does one thing at a time, so at most one model turn or one MCP request of a
 * run is open at once. {@link #runFinished(Usage)} or {@link #runFailed(Throwable)} is called
 * exactly once, last. A {@linkplain RunStart.Kind#TOOLBOX toolbox run} has no model turn; it may
 * make MCP requests from several threads, one at a time, and is finished when its caller closes it.
 */
public interface RunObservation {

  /** An observation that ignores everything. */
  RunObservation NOOP =
      new RunObservation() {
        @Override
        public ModelTurnObservation modelTurnStarted(int turn) {
          return ModelTurnObservation.NOOP;
        }

        @Override
        public McpRequestObservation mcpRequestStarted(McpRequestStart request) {
          return McpRequestObservation.NOOP;
        }

        @Override
        public void runFinished(Usage usage) {}

        @Override
        public void runFailed(Throwable error) {}
      };

  /**
   * Called before the model is asked for turn {@code turn} (0 for the first), on the run's thread.
   *
   * @return the turn's observation, never null
   */
  ModelTurnObservation modelTurnStarted(int turn);

  /**
   * Called before the model is asked for a turn, on the run's thread, with what the model tells of
   * itself (provider, model name). The runner calls this method; the default calls {@link
   * #modelTurnStarted(int)} with the turn's number.
   *
   * @return the turn's observation, never null
   */
  default ModelTurnObservation modelTurnStarted(ModelTurnStart turn) {
    return modelTurnStarted(turn.turn());
  }

  /**
   * Called before an MCP request of this run is sent ({@code initialize} of a session the run
   * opens, {@code tools/list}, {@code tools/call}); a request retried after a 401 or an expired
   * session is a new request.
   *
   * @return the request's observation, never null
   */
  McpRequestObservation mcpRequestStarted(McpRequestStart request);

  /** Called when the run returned its result, with the tokens all its model turns used. */
  void runFinished(Usage usage);

  /**
   * Called when the run failed or was cancelled. The exception's message never holds a header
   * value; an observer should still record no more than its class.
   */
  void runFailed(Throwable error);
}
