package io.github.mcprunner.model;

/** Receives a streamed model response's text as it is produced. Called on the model's thread. */
@FunctionalInterface
public interface ModelStreamListener {
  /** Called with the next piece of output text. */
  void onTextDelta(String delta);
}
