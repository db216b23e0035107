package io.github.mcprunner.model;

import static java.util.Objects.requireNonNull;

/**
 * One item of the conversation the model sees: a message, a tool call the model made, or the result
 * of a tool call.
 */
public sealed interface InputItem {

  /** Who wrote a {@link Message}. */
  enum Role {
    /** The user of the run. */
    USER,
    /** The model. */
    ASSISTANT
  }

  /**
   * A message of the conversation.
   *
   * @param role who wrote it
   * @param text its text
   */
  record Message(Role role, String text) implements InputItem {
    /** Checks that no part is null. */
    public Message {
      requireNonNull(role, "role");
      requireNonNull(text, "text");
    }

    /** Returns a user message. */
    public static Message user(String text) {
      return new Message(Role.USER, text);
    }

    /** Returns an assistant message. */
    public static Message assistant(String text) {
      return new Message(Role.ASSISTANT, text);
    }
  }

  /**
   * A tool call the model asked for.
   *
   * @param callId the model's id of the call, echoed in the {@link ToolResult}
   * @param name the tool's name
   * @param argumentsJson the arguments as a JSON object, as text
   */
  record ToolCall(String callId, String name, String argumentsJson) implements InputItem {
    /** Checks that no part is null. */
    public ToolCall {
      requireNonNull(callId, "callId");
      requireNonNull(name, "name");
      requireNonNull(argumentsJson, "argumentsJson");
    }
  }

  /**
   * The result of a tool call, handed back to the model.
   *
   * @param callId the id of the {@link ToolCall} it answers
   * @param name the tool's name
   * @param output the tool's output text (an error message when {@code error} is true)
   * @param error whether the tool reported an error
   */
  record ToolResult(String callId, String name, String output, boolean error) implements InputItem {
    /** Checks that no part is null. */
    public ToolResult {
      requireNonNull(callId, "callId");
      requireNonNull(name, "name");
      requireNonNull(output, "output");
    }
  }
}
