package io.github.mcprunner.core.internal;

import io.github.mcprunner.Agent;
import io.github.mcprunner.FunctionTool;
import io.github.mcprunner.MaxTurnsExceededException;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.ToolConflictException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.model.InputItem;
import io.github.mcprunner.model.ModelRequest;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One run of an agent: the agent loop (model → tool calls → results → model ...), MCP calls with
 * their retry rules (one retry after a 401 when a provider offers one, one after an expired
 * session, none after a response was lost: the server may have run the request), cancellation and
 * events. Confined to the thread that runs it. Not public API.
 */
final class RunExecution {

  private final DefaultRunner runner;
  private final Agent agent;
  private final String input;
  private final RunOptions options;
  private final RunCancellation cancellation;
  private final @Nullable EventLog events;
  private final String runId;
  private final RunScope scope;
  private final McpJsonMapper json;
  private final Map<String, ServerBinding> bindings = new LinkedHashMap<>();
  private final List<RunItem> items = new ArrayList<>();
  private Usage usage = Usage.zero();
  private ObservationRun observed = ObservationRun.NONE;
  private volatile @Nullable CompletableFuture<?> inFlight;

  /** A tool the model may call: on an MCP server or a local function. */
  private sealed interface Route permits McpTool, LocalFunction {
    ToolDefinition definition();

    /** Names where the tool comes from, for a conflict between two tools of the same name. */
    String source();
  }

  /** A tool of an MCP server, called through the run's binding to that server. */
  private record McpTool(ToolDefinition definition, ServerBinding binding) implements Route {
    @Override
    public String source() {
      return "MCP server '" + binding.server().name() + "'";
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
    this.json = runner.jsonMapper();
    RunScope.Builder builder =
        RunScope.builder(agent.name(), runId)
            .identity(options.identity().orElse(null))
            .perRunHeaders(options.mcpHeaders());
    options.perServerHeaders().forEach(builder::perServerHeaders);
    for (Map.Entry<ContextKey<?>, Object> entry : options.contextValues().entrySet()) {
      putContext(builder, entry.getKey(), entry.getValue());
    }
    this.scope = builder.build();
  }

  private static <T> void putContext(RunScope.Builder builder, ContextKey<T> key, Object value) {
    builder.context(key, key.type().cast(value));
  }

  RunResult execute() {
    Runnable unregister =
        cancellation.onCancel(
            () -> {
              scope.cancel();
              CompletableFuture<?> pending = inFlight;
              if (pending != null) {
                pending.cancel(true);
              }
            });
    publish(new RunEvent.RunStarted(runId, agent.name()));
    observed = runner.observation().runStarted(runId, agent, options);
    try {
      RunResult result = loop();
      publish(new RunEvent.RunFinished(runId, result));
      observed.finished(result);
      return result;
    } catch (RuntimeException | Error e) {
      RuntimeException failure =
          scope.isCancelled() && !(e instanceof RunCancelledException)
              ? new RunCancelledException(runId)
              : (e instanceof RuntimeException ? (RuntimeException) e : null);
      publish(new RunEvent.RunFailed(runId, failure != null ? failure : e));
      observed.failed(failure != null ? failure : e);
      if (failure != null) {
        throw failure;
      }
      throw (Error) e;
    } finally {
      unregister.run();
      for (ServerBinding binding : bindings.values()) {
        binding.release();
      }
    }
  }

  private RunResult loop() {
    for (String serverName : options.perServerHeaders().keySet()) {
      if (agent.mcpServer(serverName).isEmpty()) {
        List<String> names = new ArrayList<>();
        agent.mcpServers().forEach(s -> names.add(s.name()));
        throw new IllegalArgumentException(
            "per-run headers name MCP server '"
                + serverName
                + "', but agent '"
                + agent.name()
                + "' has no such server; its servers are "
                + names);
      }
    }
    Map<String, Route> routes = discoverTools();
    List<ToolDefinition> definitions = new ArrayList<>();
    routes.values().forEach(route -> definitions.add(route.definition()));

    List<InputItem> conversation = new ArrayList<>();
    conversation.add(InputItem.Message.user(input));
    int maxTurns = options.maxTurns().orElse(agent.maxTurns());
    for (int turn = 0; turn < maxTurns; turn++) {
      scope.checkNotCancelled();
      ModelRequest request =
          new ModelRequest(
              agent.name(), agent.instructions(), conversation, definitions, agent.modelSettings());
      observed.turnStarted();
      ModelResponse response = askModel(request);
      observed.turnFinished(response);
      scope.checkNotCancelled();
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
        scope.checkNotCancelled();
        Route route = routes.get(call.name());
        String serverName =
            route instanceof McpTool ? ((McpTool) route).binding().server().name() : null;
        items.add(
            new RunItem.ToolCallItem(call.callId(), call.name(), serverName, call.argumentsJson()));
        conversation.add(call);
        publish(new RunEvent.ToolCallStarted(runId, call.callId(), call.name(), serverName));
        InputItem.ToolResult result = invoke(route, call);
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

  private Map<String, Route> discoverTools() {
    Map<String, Route> routes = new LinkedHashMap<>();
    for (McpServerSpec server : agent.mcpServers()) {
      ServerBinding binding = new ServerBinding(server, runner.pool(server), scope);
      bindings.put(server.name(), binding);
      List<ToolDefinition> tools =
          call(binding, "tools/list", null, session -> session.listTools(scope.transportContext()));
      for (ToolDefinition tool : tools) {
        Route route = new McpTool(tool, binding);
        Route previous = routes.putIfAbsent(tool.name(), route);
        if (previous != null) {
          throw new ToolConflictException(tool.name(), previous.source(), route.source());
        }
      }
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

  private InputItem.ToolResult invoke(@Nullable Route route, InputItem.ToolCall call) {
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
    McpSchema.CallToolRequest request;
    try {
      String arguments = call.argumentsJson().isBlank() ? "{}" : call.argumentsJson();
      request = new McpSchema.CallToolRequest(json, call.name(), arguments);
    } catch (RuntimeException e) {
      return new InputItem.ToolResult(
          call.callId(),
          call.name(),
          "The arguments of the call to '" + call.name() + "' are not a valid JSON object",
          true);
    }
    ServerBinding binding = ((McpTool) route).binding();
    try {
      McpSchema.CallToolResult result =
          call(binding, "tools/call", call.name(), session -> session.callTool(request));
      return new InputItem.ToolResult(
          call.callId(), call.name(), outputText(result), Boolean.TRUE.equals(result.isError()));
    } catch (JsonRpcFailure e) {
      return new InputItem.ToolResult(call.callId(), call.name(), e.toolMessage(), true);
    }
  }

  private String outputText(McpSchema.CallToolResult result) {
    StringBuilder out = new StringBuilder();
    List<McpSchema.Content> content = result.content() == null ? List.of() : result.content();
    for (McpSchema.Content part : content) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (part instanceof McpSchema.TextContent) {
        out.append(((McpSchema.TextContent) part).text());
      } else {
        out.append(toJson(part));
      }
    }
    if (out.length() == 0 && result.structuredContent() != null) {
      out.append(toJson(result.structuredContent()));
    }
    return out.toString();
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      return String.valueOf(value);
    }
  }

  /**
   * Runs one MCP operation on {@code binding}'s session with this run's context, retried as {@link
   * RetryRules} decides.
   */
  private <T> T call(
      ServerBinding binding,
      String mcpMethod,
      @Nullable String toolName,
      Function<McpSession, Mono<T>> operation) {
    McpServerSpec server = binding.server();
    RetryRules rules = new RetryRules(server, mcpMethod, toolName);
    while (true) {
      scope.checkNotCancelled();
      McpSession session = null;
      try {
        session = binding.session(this::awaitShared);
        McpTransportContext context = scope.transportContext();
        return await(
            observed
                .mcp(session, mcpMethod, toolName, operation.apply(session))
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .toFuture());
      } catch (RuntimeException e) {
        if (scope.isCancelled()) {
          throw new RunCancelledException(runId);
        }
        RetryRules.Decision next =
            rules.afterFailure(
                e,
                session != null,
                session != null && session.sessionLost(),
                (opening, wwwAuthenticate) ->
                    runner
                        .chain()
                        .onUnauthorized(
                            new HeaderRequest(
                                server.ref(),
                                server.headers(),
                                opening ? binding.sessionScope() : scope,
                                opening ? "initialize" : mcpMethod,
                                toolName),
                            wwwAuthenticate));
        if (next.dropSession()) {
          binding.replace();
        }
        if (next.action() == RetryRules.Action.FAIL) {
          throw Objects.requireNonNull(next.error());
        }
      }
    }
  }

  /** Waits for a session future other runs may share: never cancels the shared future itself. */
  private McpSession awaitShared(CompletableFuture<McpSession> shared) {
    return await(shared.thenApply(session -> session));
  }

  private <T> T await(CompletableFuture<T> future) {
    inFlight = future;
    try {
      if (scope.isCancelled()) {
        future.cancel(true);
      }
      return future.get();
    } catch (CancellationException e) {
      throw new RunCancelledException(runId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancellation.cancel();
      throw new RunCancelledException(runId);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new java.util.concurrent.CompletionException(cause);
    } finally {
      inFlight = null;
    }
  }

  private void publish(RunEvent event) {
    EventLog log = events;
    if (log != null) {
      log.publish(event);
    }
  }
}
