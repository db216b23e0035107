package io.github.mcprunner.testkit;

import java.util.Map;

/** Sends notifications to the client during one tool call. */
interface CallNotifier {

  /** Drops every notification (STATELESS mode, unit tests). */
  CallNotifier NONE =
      new CallNotifier() {
        @Override
        public void log(String message) {}

        @Override
        public boolean progress(double progress, double total, String message) {
          return false;
        }
      };

  /**
   * Asks the client {@code request} ({@code elicitation/create}) and waits for its answer; throws
   * {@link UnsupportedOperationException} where the server has no channel to ask on.
   */
  default ToolRequest.Elicited elicit(Map<String, Object> request) {
    throw new UnsupportedOperationException(
        "this server cannot ask the client (elicitation needs a session: STATEFUL or SSE mode)");
  }

  void log(String message);

  boolean progress(double progress, double total, String message);
}
