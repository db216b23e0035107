package io.github.mcprunner.observe;

import io.github.mcprunner.model.Usage;

/**
 * The observation of one model turn of a run: exactly one of its methods is called, once, on the
 * run's thread.
 */
public interface ModelTurnObservation {

  /** An observation that ignores everything. */
  ModelTurnObservation NOOP =
      new ModelTurnObservation() {
        @Override
        public void turnFinished(Usage usage, int toolCalls) {}

        @Override
        public void turnFailed(Throwable error) {}
      };

  /**
   * Called when the model answered.
   *
   * @param usage the tokens the turn used
   * @param toolCalls how many tools the model asked to call
   */
  void turnFinished(Usage usage, int toolCalls);

  /** Called when the model failed or the run was cancelled while it was asked. */
  void turnFailed(Throwable error);
}
