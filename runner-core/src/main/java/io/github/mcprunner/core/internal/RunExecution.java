package io.github.mcprunner.core.internal;

import io.github.mcprunner.Agent;
import io.github.mcprunner.FunctionTool;
import io.github.mcprunner.MaxTurnsExceededException;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpTool;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.ToolConflictException;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One run of an agent: the agent loop (model → tool calls → results → model ...) and its events.
 * Its MCP side (scope, sessions, tool listing and calls with their retry rules, cancellation of the
 * call in flight) is a {@link ToolboxSession}, the same code a {@link DefaultToolbox} run uses.
 * Confined to the thread that runs it. Not public API.
 */
final class RunExecution {

  private final DefaultRunner runner;
  private final Agent agent;
  private final String input;
  private final RunOptions options;
  private final RunCancellation cancellation;
  private final @Nullable EventLog events;
  private final String runId;
  private final List<RunItem> items = new ArrayList<>();
  private Usage usage = Usage.zero();
  private ObservationRun observed = ObservationRun.NONE;

  /** A tool the model may call: on an MCP server or a local function. */
  private sealed interface Route permits McpRoute, LocalFunction {
    ToolDefinition definition();

    /** Names where the tool comes from, for a conflict between two tools of the same name. */
    String source();
  }

  /** A tool of an MCP server, called through the run's toolbox session. */
  private record McpRoute(McpTool tool) implements Route {
    @Override
    public ToolDefinition definition() {
      return tool.definition();
    }

    @Override
    public String source() {
      return "MCP server '" + tool.serverName() + "'";
    }
  }

  /** A function tool of the agent, called in the run's thread. */
  private record LocalFunction(ToolDefinition definition, FunctionTool function) implements Route {
    @Override
    public String source() {
      return "function tool '" + definition.name() + "'";
    }
  }

  RunExecution(
      DefaultRunner runner,
      Agent agent,
      String input,
      RunOptions options,
      String runId,
      RunCancellation cancellation,
      @Nullable EventLog events) {
    this.runner = runner;
    this.agent = agent;
    this.input = input;
    this.options = options;
    this.runId = runId;
    this.cancellation = cancellation;
    this.events = events;
  }

  RunResult execute() {
    publish(new RunEvent.RunStarted(runId, agent.name()));
    observed = runner.observation().runStarted(runId, agent, options);
    ToolboxSession mcp = null;
    try {
      mcp =
          new ToolboxSession(
              runner,
              "agent '" + agent.name() + "'",
              agent.name(),
              agent.mcpServers(),
              options,
              runId,
              cancellation,
              observed,
              false);
      mcp.publishInputEvents(this::publish);
      RunResult result = loop(mcp);
      publish(new RunEvent.RunFinished(runId, result));
      observed.finished(result);
      return result;
    } catch (RuntimeException | Error e) {
      boolean cancelled = mcp != null ? mcp.isCancelled() : cancellation.isCancelled();
      RuntimeException failure =
          cancelled && !(e instanceof RunCancelledException)
              ? (mcp != null ? mcp.cancelledException() : new RunCancelledException(runId))
              : (e instanceof RuntimeException ? (RuntimeException) e : null);
      publish(new RunEvent.RunFailed(runId, failure != null ? failure : e));
      observed.failed(failure != null ? failure : e);
      if (failure != null) {
        throw failure;
      }
      throw (Error) e;
    } finally {
      if (mcp != null) {
        mcp.close();
      }
    }
  }

  private RunResult loop(ToolboxSession mcp) {
    Map<String, Route> routes = discoverTools(mcp);
    List<ToolDefinition> definitions = new ArrayList<>();
    routes.values().forEach(route -> definitions.add(route.definition()));

    List<InputItem> conversation = new ArrayList<>();
    conversation.add(InputItem.Message.user(input));
    int maxTurns = options.maxTurns().orElse(agent.maxTurns());
    for (int turn = 0; turn < maxTurns; turn++) {
      mcp.checkNotCancelled();
      ModelRequest request =
          new ModelRequest(
              agent.name(), agent.instructions(), conversation, definitions, agent.modelSettings());
      observed.turnStarted(agent.model());
      ModelResponse response = askModel(request);
      observed.turnFinished(response);
      mcp.checkNotCancelled();
      usage = usage.plus(response.usage());
      String text = response.text();
      if (text != null && !text.isEmpty()) {
        items.add(new RunItem.MessageItem(text));
        conversation.add(InputItem.Message.assistant(text));
        publish(new RunEvent.MessageOutput(runId, text));
      }
      if (response.toolCalls().isEmpty()) {
        return new RunResult(runId, text == null ? "" : text, items, usage);
      }
      for (InputItem.ToolCall call : response.toolCalls()) {
        mcp.checkNotCancelled();
        Route route = routes.get(call.name());
        String serverName =
            route instanceof McpRoute ? ((McpRoute) route).tool().serverName() : null;
        items.add(
            new RunItem.ToolCallItem(call.callId(), call.name(), serverName, call.argumentsJson()));
        conversation.add(call);
        publish(new RunEvent.ToolCallStarted(runId, call.callId(), call.name(), serverName));
        InputItem.ToolResult result = invoke(mcp, route, call);
        items.add(
            new RunItem.ToolResultItem(
                call.callId(), call.name(), serverName, result.output(), result.error()));
        conversation.add(result);
        publish(
            new RunEvent.ToolCallFinished(
                runId, call.callId(), call.name(), serverName, result.error()));
      }
    }
    throw new MaxTurnsExceededException(agent.name(), maxTurns);
  }

  private ModelResponse askModel(ModelRequest request) {
    try {
      EventLog log = events;
      if (log != null) {
        return agent
            .model()
            .respondStreaming(request, delta -> log.publish(new RunEvent.TextDelta(runId, delta)));
      }
      return agent.model().respond(request);
    } catch (McpRunnerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new McpRunnerException(
          "Model of agent '" + agent.name() + "' failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private Map<String, Route> discoverTools(ToolboxSession mcp) {
    Map<String, Route> routes = new LinkedHashMap<>();
    for (McpTool tool : mcp.tools()) {
      routes.put(tool.name(), new McpRoute(tool));
    }
    for (FunctionTool function : agent.functionTools()) {
      Route route = new LocalFunction(function.definition(), function);
      Route previous = routes.putIfAbsent(function.name(), route);
      if (previous != null) {
        throw new ToolConflictException(function.name(), previous.source(), route.source());
      }
    }
    return routes;
  }

  private InputItem.ToolResult invoke(
      ToolboxSession mcp, @Nullable Route route, InputItem.ToolCall call) {
    if (route == null) {
      return new InputItem.ToolResult(
          call.callId(), call.name(), "Unknown tool '" + call.name() + "'", true);
    }
    if (route instanceof LocalFunction) {
      FunctionTool function = ((LocalFunction) route).function();
      try {
        return new InputItem.ToolResult(
            call.callId(), call.name(), function.handler().call(call.argumentsJson()), false);
      } catch (Exception e) {
        return new InputItem.ToolResult(
            call.callId(),
            call.name(),
            "Tool '" + call.name() + "' failed (" + e.getClass().getSimpleName() + ")",
            true);
      }
    }
    ToolOutcome outcome = mcp.call(call.name(), call.argumentsJson());
    return new InputItem.ToolResult(call.callId(), call.name(), outcome.output(), outcome.error());
  }

  private void publish(RunEvent event) {
    EventLog log = events;
    if (log != null) {
      log.publish(event);
    }
  }
}
