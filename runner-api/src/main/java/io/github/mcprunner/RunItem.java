package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One thing a run produced: a model message, a tool call, or a tool result. */
public sealed interface RunItem {

  /**
   * Text the model wrote.
   *
   * @param text the text
   */
  record MessageItem(String text) implements RunItem {
    /** Checks the text is not null. */
    public MessageItem {
      requireNonNull(text, "text");
    }
  }

  /**
   * A tool call the model made.
   *
   * @param callId the model's id of the call
   * @param toolName the tool's name
   * @param serverName the MCP server that ran it, or null for a local function tool
   * @param argumentsJson the arguments, as JSON text
   */
  record ToolCallItem(
      String callId, String toolName, @Nullable String serverName, String argumentsJson)
      implements RunItem {
    /** Checks the required parts are not null. */
    public ToolCallItem {
      requireNonNull(callId, "callId");
      requireNonNull(toolName, "toolName");
      requireNonNull(argumentsJson, "argumentsJson");
    }

    /** Returns the server that ran the tool; empty for a local function tool. */
    public Optional<String> server() {
      return Optional.ofNullable(serverName);
    }
  }

  /**
   * The result of a tool call.
   *
   * @param callId the id of the call it answers
   * @param toolName the tool's name
   * @param serverName the MCP server that ran it, or null for a local function tool
   * @param output the output text (an error description when {@code error} is true)
   * @param error whether the tool reported an error
   */
  record ToolResultItem(
      String callId, String toolName, @Nullable String serverName, String output, boolean error)
      implements RunItem {
    /** Checks the required parts are not null. */
    public ToolResultItem {
      requireNonNull(callId, "callId");
      requireNonNull(toolName, "toolName");
      requireNonNull(output, "output");
    }

    /** Returns the server that ran the tool; empty for a local function tool. */
    public Optional<String> server() {
      return Optional.ofNullable(serverName);
    }
  }
}
