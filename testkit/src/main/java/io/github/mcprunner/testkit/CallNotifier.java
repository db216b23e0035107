package io.github.mcprunner.testkit;

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

  void log(String message);

  boolean progress(double progress, double total, String message);
}
