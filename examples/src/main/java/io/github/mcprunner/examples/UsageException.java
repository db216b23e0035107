package io.github.mcprunner.examples;

/** A command line the demo cannot run: the message says what is wrong, the usage follows. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
