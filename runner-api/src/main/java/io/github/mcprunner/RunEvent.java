package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** What a streamed run reports as it goes ({@link RunStream}). */
public sealed interface RunEvent {

  /** Returns the id of the run the event belongs to. */
  String runId();

  /**
   * The run started.
   *
   * @param runId the run's id
   * @param agentName the agent's name
   */
  record RunStarted(String runId, String agentName) implements RunEvent {
    /** Checks no part is null. */
    public RunStarted {
      requireNonNull(runId, "runId");
      requireNonNull(agentName, "agentName");
    }
  }

  /**
   * The model produced more text.
   *
   * @param runId the run's id
   * @param delta the new text
   */
  record TextDelta(String runId, String delta) implements RunEvent {
    /** Checks no part is null. */
    public TextDelta {
      requireNonNull(runId, "runId");
      requireNonNull(delta, "delta");
    }
  }

  /**
   * A tool call is about to be made.
   *
   * @param runId the run's id
   * @param callId the model's id of the call
   * @param toolName the tool
   * @param serverName the MCP server, or null for a local function tool
   */
  record ToolCallStarted(String runId, String callId, String toolName, @Nullable String serverName)
      implements RunEvent {
    /** Checks the required parts are not null. */
    public ToolCallStarted {
      requireNonNull(runId, "runId");
      requireNonNull(callId, "callId");
      requireNonNull(toolName, "toolName");
    }
  }

  /**
   * A tool call finished.
   *
   * @param runId the run's id
   * @param callId the model's id of the call
   * @param toolName the tool
   * @param serverName the MCP server, or null for a local function tool
   * @param error whether the tool reported an error
   */
  record ToolCallFinished(
      String runId, String callId, String toolName, @Nullable String serverName, boolean error)
      implements RunEvent {
    /** Checks the required parts are not null. */
    public ToolCallFinished {
      requireNonNull(runId, "runId");
      requireNonNull(callId, "callId");
      requireNonNull(toolName, "toolName");
    }
  }

  /**
   * The model finished a message.
   *
   * @param runId the run's id
   * @param text the message
   */
  record MessageOutput(String runId, String text) implements RunEvent {
    /** Checks no part is null. */
    public MessageOutput {
      requireNonNull(runId, "runId");
      requireNonNull(text, "text");
    }
  }

  /**
   * The run finished; the last event of a successful run.
   *
   * @param runId the run's id
   * @param result the result
   */
  record RunFinished(String runId, RunResult result) implements RunEvent {
    /** Checks no part is null. */
    public RunFinished {
      requireNonNull(runId, "runId");
      requireNonNull(result, "result");
    }
  }

  /**
   * The run failed; the last event of a failed or cancelled run.
   *
   * @param runId the run's id
   * @param error why
   */
  record RunFailed(String runId, Throwable error) implements RunEvent {
    /** Checks no part is null. */
    public RunFailed {
      requireNonNull(runId, "runId");
      requireNonNull(error, "error");
    }
  }

  /**
   * An MCP server asked the run's user for input (elicitation), and the run's {@link InputHandler}
   * has the question (emitted once its {@code requestInput} returned); the run waits for the
   * answer. Not emitted for a question the runner refused or declined on its own.
   *
   * @param runId the run's id
   * @param request the question
   */
  record InputRequested(String runId, InputRequest request) implements RunEvent {
    /** Checks no part is null. */
    public InputRequested {
      requireNonNull(runId, "runId");
      requireNonNull(request, "request");
    }
  }

  /**
   * The run's answer to a server's question went to the server.
   *
   * @param runId the run's id
   * @param serverName the MCP server that asked
   * @param action the answer: the handler's, or {@code CANCEL} after a timeout, a failed handler or
   *     a cancelled run
   */
  record InputAnswered(String runId, String serverName, InputResponse.Action action)
      implements RunEvent {
    /** Checks no part is null. */
    public InputAnswered {
      requireNonNull(runId, "runId");
      requireNonNull(serverName, "serverName");
      requireNonNull(action, "action");
    }
  }

  /**
   * A request of the run to an MCP server that speaks the stateless protocol (MCP 2026-07-28) lost
   * its response: the response stream broke after the server accepted the request and before the
   * response came. That revision says such a request is lost and the client sends it again as a new
   * request (new JSON-RPC id, headers resolved again), which the runner does once, emitting this
   * event just before it does. The server may have run the tool already for the first request, so
   * <b>the tool may have run twice</b>: for a tool that must not, set {@code
   * McpServerSpec.Builder.reissueLostRequests(false)} (the call then fails and no event is
   * emitted). The session protocol never re-sends a request and never emits this event.
   *
   * @param runId the run's id
   * @param serverName the MCP server
   * @param method the JSON-RPC method sent again ({@code tools/call})
   * @param toolName the tool of a {@code tools/call}, else null
   */
  record RequestReissued(String runId, String serverName, String method, @Nullable String toolName)
      implements RunEvent {
    /** Checks the required parts are not null. */
    public RequestReissued {
      requireNonNull(runId, "runId");
      requireNonNull(serverName, "serverName");
      requireNonNull(method, "method");
    }
  }
}
