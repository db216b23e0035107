package io.github.mcprunner.core.internal;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpTool;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.ToolConflictException;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.internal.http.VerbatimToolCall;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.model.ToolDefinition;
import io.github.mcprunner.model.Usage;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One run's MCP side, for the agent loop ({@link RunExecution}) and for {@link DefaultToolbox}
 * alike: the run's {@link RunScope}, its bindings to the servers' sessions, tool listing and calls
 * with their retry rules (one retry after a 401 when a provider offers one, one after an expired
 * session, none after a response was lost: the server may have run the request), and cancellation
 * of the call in flight. Calls are serialized. Not public API.
 */
final class ToolboxSession implements ToolboxRun {
  private static final TypeRef<Map<String, Object>> ARGUMENTS = new TypeRef<>() {};

  private final DefaultRunner runner;
  private final List<McpServerSpec> servers;
  private final String runId;
  private final RunCancellation cancellation;
  private final RunScope scope;
  private final McpJsonMapper json;
  private final ObservationRun observed;
  private final Runnable unregister;
  private final Runnable unlinkOuter;
  private final boolean endsObservation;
  private final Map<String, ServerBinding> bindings = new LinkedHashMap<>();
  private @Nullable List<McpTool> tools;
  private final Map<String, ServerBinding> toolServers = new LinkedHashMap<>();
  // The servers this run speaks MCP 2026-07-28 with: no session is bound for them.
  private final Set<String> statelessServers = new HashSet<>();
  private boolean closed;
  private volatile @Nullable CompletableFuture<?> inFlight;

  /**
   * Opens the MCP side of run {@code runId}.
   *
   * @param owner names the agent or toolbox in error messages, e.g. {@code "agent 'support'"}
   * @param agentName the agent's (or toolbox's) name, as the scope carries it
   * @param cancellation the run's own cancellation; linked to the caller's ({@code
   *     options.cancellation()}) until {@link #close()}, so that a long-lived outer cancellation
   *     keeps no listener of a closed run
   * @param endsObservation whether {@link #close()} finishes {@code observed} (a toolbox run; an
   *     agent run finishes its observation itself)
   * @throws IllegalArgumentException if {@code options} has headers for a server not in {@code
   *     servers}
   */
  ToolboxSession(
      DefaultRunner runner,
      String owner,
      String agentName,
      List<McpServerSpec> servers,
      RunOptions options,
      String runId,
      RunCancellation cancellation,
      ObservationRun observed,
      boolean endsObservation) {
    for (String serverName : options.perServerHeaders().keySet()) {
      if (servers.stream().noneMatch(s -> s.name().equals(serverName))) {
        List<String> names = new ArrayList<>();
        servers.forEach(s -> names.add(s.name()));
        throw new IllegalArgumentException(
            "per-run headers name MCP server '"
                + serverName
                + "', but "
                + owner
                + " has no such server; its servers are "
                + names);
      }
    }
    this.runner = runner;
    this.servers = servers;
    this.runId = runId;
    this.cancellation = cancellation;
    this.observed = observed;
    this.endsObservation = endsObservation;
    this.json = runner.jsonMapper();
    RunScope.Builder builder =
        RunScope.builder(agentName, runId)
            .identity(options.identity().orElse(null))
            .perRunHeaders(options.mcpHeaders())
            .input(
                RunInput.of(
                    options.inputHandler().orElse(runner.inputHandler()),
                    options.inputTimeout().orElse(runner.inputTimeout())));
    options.perServerHeaders().forEach(builder::perServerHeaders);
    for (Map.Entry<ContextKey<?>, Object> entry : options.contextValues().entrySet()) {
      putContext(builder, entry.getKey(), entry.getValue());
    }
    this.scope = builder.build();
    runner.register(this);
    Runnable listening =
        cancellation.onCancel(
            () -> {
              scope.cancel();
              CompletableFuture<?> pending = inFlight;
              if (pending != null) {
                pending.cancel(true);
              }
            });
    this.unlinkOuter =
        options.cancellation().map(outer -> outer.onCancel(cancellation::cancel)).orElse(() -> {});
    this.unregister =
        () -> {
          listening.run();
          runner.unregister(this);
        };
  }

  /** Ends the run because its runner is closing: it fails with a cancellation naming that. */
  void stopBecauseRunnerClosed() {
    scope.cancel("the runner was closed");
    cancellation.cancel();
  }

  /** Returns the exception the run fails with once cancelled. */
  RunCancelledException cancelledException() {
    return scope.cancelledException();
  }

  private static <T> void putContext(RunScope.Builder builder, ContextKey<T> key, Object value) {
    builder.context(key, key.type().cast(value));
  }

  @Override
  public String runId() {
    return runId;
  }

  /** Returns whether the run was cancelled. */
  boolean isCancelled() {
    return scope.isCancelled();
  }

  /** Throws {@link RunCancelledException} when the run was cancelled. */
  void checkNotCancelled() {
    scope.checkNotCancelled();
  }

  @Override
  public synchronized List<McpTool> tools() {
    List<McpTool> listed = tools;
    if (listed != null) {
      return listed;
    }
    checkOpen();
    Map<String, McpTool> byName = new LinkedHashMap<>();
    for (McpServerSpec server : servers) {
      ServerBinding binding = binding(server);
      List<ToolDefinition> definitions;
      if (era(server) == StatelessServer.Era.STATELESS) {
        StatelessServer protocol = runner.protocol(server);
        statelessServers.add(server.name());
        definitions = statelessCall(server, "tools/list", null, () -> protocol.listTools(scope));
      } else {
        definitions =
            call(
                binding,
                "tools/list",
                null,
                session -> session.listTools(scope.transportContext()));
      }
      for (ToolDefinition definition : definitions) {
        McpTool tool = new McpTool(server.name(), definition);
        McpTool previous = byName.putIfAbsent(definition.name(), tool);
        if (previous != null) {
          throw new ToolConflictException(
              definition.name(),
              "MCP server '" + previous.serverName() + "'",
              "MCP server '" + server.name() + "'");
        }
        toolServers.put(definition.name(), binding);
      }
    }
    listed = Collections.unmodifiableList(new ArrayList<>(byName.values()));
    tools = listed;
    return listed;
  }

  @Override
  public synchronized ToolOutcome call(String toolName, String argumentsJson) {
    Objects.requireNonNull(toolName, "toolName");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
    tools();
    ServerBinding binding = toolServers.get(toolName);
    if (binding == null) {
      return new ToolOutcome("Unknown tool '" + toolName + "'", true);
    }
    if (statelessServers.contains(binding.server().name())) {
      return callStateless(binding.server(), toolName, argumentsJson);
    }
    McpSchema.CallToolRequest request;
    String arguments = argumentsJson.isBlank() ? "{}" : argumentsJson;
    try {
      request = new McpSchema.CallToolRequest(json, toolName, arguments);
    } catch (RuntimeException e) {
      return new ToolOutcome(
          "The arguments of the call to '" + toolName + "' are not a valid JSON object", true);
    }
    // Sent as written when the text is one JSON object (the parse above checked the rest); else
    // (a byte-order mark, say, which the parser forgives) as the parsed map, written again.
    VerbatimToolCall verbatim =
        VerbatimToolCall.isOneObject(arguments)
            ? new VerbatimToolCall(toolName, arguments, null)
            : null;
    try {
      McpSchema.CallToolResult result =
          call(
              binding,
              "tools/call",
              toolName,
              session ->
                  verbatim == null
                      ? session.callTool(request)
                      : session
                          .callTool(request)
                          .contextWrite(ctx -> ctx.put(VerbatimToolCall.CONTEXT_KEY, verbatim)));
      throwInputFailure();
      return new ToolOutcome(outputText(result), Boolean.TRUE.equals(result.isError()));
    } catch (JsonRpcFailure e) {
      throwInputFailure();
      return new ToolOutcome(e.toolMessage(), true);
    }
  }

  /** Sends the run's input events (a server's question asked, answered) to {@code sink}. */
  void publishInputEvents(java.util.function.Consumer<io.github.mcprunner.RunEvent> sink) {
    scope.input().publishTo(sink);
  }

  /** Fails the run when a question of the call just made was refused or its handler failed. */
  private void throwInputFailure() {
    RuntimeException failure = scope.input().takeFailure();
    if (failure != null) {
      throw failure;
    }
  }

  private ToolOutcome callStateless(McpServerSpec server, String toolName, String argumentsJson) {
    Map<String, Object> arguments;
    try {
      arguments = json.readValue(argumentsJson.isBlank() ? "{}" : argumentsJson, ARGUMENTS);
      if (arguments == null) {
        throw new IllegalArgumentException("null");
      }
    } catch (IOException | RuntimeException e) {
      return new ToolOutcome(
          "The arguments of the call to '" + toolName + "' are not a valid JSON object", true);
    }
    StatelessServer protocol = runner.protocol(server);
    Map<String, Object> args = arguments;
    try {
      McpSchema.CallToolResult result =
          statelessCall(
              server,
              "tools/call",
              toolName,
              () -> protocol.callTool(scope, server, toolName, args));
      throwInputFailure();
      return new ToolOutcome(outputText(result), Boolean.TRUE.equals(result.isError()));
    } catch (JsonRpcFailure e) {
      throwInputFailure();
      return new ToolOutcome(e.toolMessage(), true);
    }
  }

  /**
   * Returns the protocol era of {@code server}: fixed by its spec, remembered, or (under {@code
   * AUTO}, the first time) probed with this run's headers, a 401 retried as for any request.
   */
  private StatelessServer.Era era(McpServerSpec server) {
    StatelessServer protocol = runner.protocol(server);
    StatelessServer.Era known = protocol.decided();
    if (known != null) {
      return known;
    }
    return statelessCall(server, "server/discover", null, () -> protocol.era(scope));
  }

  /**
   * Runs one stateless operation with this run's scope, retried as {@link RetryRules} decides (a
   * 401 or 403 once when a provider offers a retry); there is no session to drop or re-open.
   */
  private <T> T statelessCall(
      McpServerSpec server,
      String mcpMethod,
      @Nullable String toolName,
      Supplier<CompletableFuture<T>> operation) {
    RetryRules rules = new RetryRules(server, mcpMethod, toolName);
    while (true) {
      checkOpen();
      scope.checkNotCancelled();
      try {
        return await(operation.get());
      } catch (RuntimeException e) {
        if (scope.isCancelled()) {
          throw new RunCancelledException(runId);
        }
        RetryRules.Decision next =
            rules.afterFailure(
                e,
                true,
                false,
                (opening, wwwAuthenticate) ->
                    runner
                        .chain()
                        .onUnauthorized(
                            new HeaderRequest(
                                server.ref(), server.headers(), scope, mcpMethod, toolName),
                            wwwAuthenticate));
        if (next.action() == RetryRules.Action.FAIL) {
          throw Objects.requireNonNull(next.error(), "error");
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    unlinkOuter.run();
    unregister.run();
    for (ServerBinding binding : bindings.values()) {
      binding.release();
    }
    bindings.clear();
    if (endsObservation) {
      observed.finished(Usage.zero());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("toolbox run " + runId + " is closed");
    }
  }

  private ServerBinding binding(McpServerSpec server) {
    ServerBinding binding = bindings.get(server.name());
    if (binding == null) {
      binding = new ServerBinding(server, runner.pool(server), scope);
      bindings.put(server.name(), binding);
    }
    return binding;
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
      checkOpen();
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
          throw scope.cancelledException();
        }
        RuntimeException late = lateProvider(binding, session == null, e);
        if (late != null) {
          throw late;
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
                            wwwAuthenticate,
                            opening ? server.initializeTimeout() : server.requestTimeout()));
        if (next.dropSession()) {
          binding.replace();
        }
        if (session == null && next.action() == RetryRules.Action.FAIL) {
          // The session protocol failed to open: under AUTO the next run decides again.
          runner.protocol(server).forget();
        }
        if (next.action() == RetryRules.Action.FAIL) {
          throw Objects.requireNonNull(next.error());
        }
      }
    }
  }

  /**
   * Returns the failure naming a header provider when {@code error} is a timeout of a request whose
   * headers were still being resolved: the server was not waited for, the provider was (it is
   * interrupted by the chain's watchdog at its own deadline, a moment later). Null otherwise.
   */
  private @Nullable RuntimeException lateProvider(
      ServerBinding binding, boolean opening, RuntimeException error) {
    if (Failure.classify(error).kind != Failure.Kind.TIMEOUT) {
      return null;
    }
    HeaderChain chain = runner.chain();
    RunScope requestScope = opening ? binding.sessionScope() : scope;
    String provider = chain.providerRunningFor(requestScope);
    if (provider == null) {
      provider = requestScope.takeLateProvider();
    }
    if (provider == null) {
      return null;
    }
    McpServerSpec server = binding.server();
    return new HeaderProviderException(
        provider,
        server.name(),
        "did not answer within "
            + (opening ? server.initializeTimeout() : server.requestTimeout())
            + " (the MCP server was not waited for)",
        null);
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
      throw scope.cancelledException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancellation.cancel();
      throw scope.cancelledException();
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
}
