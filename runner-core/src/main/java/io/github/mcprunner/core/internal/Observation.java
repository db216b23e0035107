package io.github.mcprunner.core.internal;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.core.internal.http.StatelessHttpClient;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.McpSessionObservation;
import io.github.mcprunner.observe.McpSessionStart;
import io.github.mcprunner.observe.RunObservation;
import io.github.mcprunner.observe.RunObserver;
import io.github.mcprunner.observe.RunStart;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The runner's {@link RunObserver}s, and every hook the engine calls to tell them what runs do.
 * {@link #NONE} (no observer) makes every hook return at once, allocating nothing: the operation
 * passed in is returned as it is. An observer that throws is logged (class name only) and never
 * fails a run. Thread-safe. Not public API.
 */
public final class Observation {
  static final Logger LOG = LoggerFactory.getLogger(Observation.class);

  /** The Reactor context key of the {@link ObservationRequest} a request runs under. */
  static final String REQUEST_KEY = "io.github.mcprunner.observation.request";

  /** No observer: every hook is a no-op. */
  public static final Observation NONE = new Observation(new RunObserver[0]);

  // The hooks whose failure was logged as a warning already (a broken observer must not flood).
  private static final java.util.Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final RunObserver[] observers;
  // The runs in progress, so that a session a run opens reports its initialize under that run.
  private final Map<String, ObservationRun> runs = new ConcurrentHashMap<>();

  private Observation(RunObserver[] observers) {
    this.observers = observers;
  }

  /** Returns the observation of {@code observers}, or {@link #NONE} when there is none. */
  public static Observation of(List<RunObserver> observers) {
    return observers.isEmpty() ? NONE : new Observation(observers.toArray(new RunObserver[0]));
  }

  /**
   * Returns the observers registered in {@code META-INF/services} of {@code loader}, sorted by
   * class name (deterministic, whatever order the class path has).
   */
  public static List<RunObserver> discover(ClassLoader loader) {
    List<RunObserver> found = new ArrayList<>();
    try {
      for (RunObserver observer : ServiceLoader.load(RunObserver.class, loader)) {
        found.add(observer);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException(
          "A run observer registered in META-INF/services could not be loaded", e);
    }
    found.sort(Comparator.comparing(o -> o.getClass().getName()));
    return found;
  }

  boolean enabled() {
    return observers.length > 0;
  }

  /**
   * Tells the observers that run {@code runId} of {@code agent} started; returns its observation.
   */
  ObservationRun runStarted(String runId, Agent agent, RunOptions options) {
    return runStarted(runId, agent.name(), options, RunStart.Kind.AGENT);
  }

  /**
   * Tells the observers that run {@code runId} of toolbox {@code toolboxName} was opened; returns
   * its observation, which {@link ToolboxSession#close()} finishes.
   */
  ObservationRun toolboxRunStarted(String runId, String toolboxName, RunOptions options) {
    return runStarted(runId, toolboxName, options, RunStart.Kind.TOOLBOX);
  }

  private ObservationRun runStarted(
      String runId, String name, RunOptions options, RunStart.Kind kind) {
    if (observers.length == 0) {
      return ObservationRun.NONE;
    }
    Map<ContextKey<?>, Object> context = options.contextValues();
    Object tenant = context.get(ContextKey.TENANT_ID);
    Object user = context.get(ContextKey.USER_ID);
    RunStart start =
        new RunStart(
            runId,
            name,
            tenant instanceof String ? (String) tenant : null,
            user instanceof String ? (String) user : null,
            kind);
    RunObservation[] observations = new RunObservation[observers.length];
    for (int i = 0; i < observers.length; i++) {
      RunObservation observation = null;
      try {
        observation = observers[i].runStarted(start);
      } catch (RuntimeException e) {
        failed("runStarted", e);
      }
      observations[i] = observation == null ? RunObservation.NOOP : observation;
    }
    ObservationRun run = new ObservationRun(this, runId, observations);
    runs.put(runId, run);
    return run;
  }

  void runEnded(String runId) {
    runs.remove(runId);
  }

  /** Wraps a session's transport so that each request's JSON-RPC id reaches its observation. */
  McpClientTransport transport(McpClientTransport transport) {
    return observers.length == 0 ? transport : new ObservationTransport(transport);
  }

  /**
   * Observes the {@code initialize} of a session opened with {@code sessionScope}, as a request of
   * that scope's run when it is in progress (a shared session's neutral scope has none).
   */
  Mono<McpSchema.InitializeResult> initialize(
      RunScope sessionScope, McpServerSpec server, Mono<McpSchema.InitializeResult> initialize) {
    if (observers.length == 0) {
      return initialize;
    }
    ObservationRun run = runs.get(sessionScope.runId());
    return run == null ? initialize : run.request(server, "initialize", null, null, initialize);
  }

  /**
   * Returns the observation of one stateless request (MCP 2026-07-28) of {@code scope}'s run, or
   * null when nothing observes (no observer, or the run is not in progress).
   */
  StatelessHttpClient.@Nullable RequestObserver stateless(
      RunScope scope, McpServerSpec server, String method, @Nullable String tool) {
    if (observers.length == 0) {
      return null;
    }
    ObservationRun run = runs.get(scope.runId());
    return run == null ? null : run.stateless(server, method, tool);
  }

  /** Tells the observers that {@code client}'s session with {@code server} is open. */
  McpSessionObservation sessionOpened(McpServerSpec server, McpAsyncClient client) {
    if (observers.length == 0) {
      return McpSessionObservation.NOOP;
    }
    McpSessionStart start =
        new McpSessionStart(server.name(), server.uri(), protocolVersion(client));
    McpSessionObservation[] sessions = new McpSessionObservation[observers.length];
    for (int i = 0; i < observers.length; i++) {
      McpSessionObservation session = null;
      try {
        session = observers[i].sessionOpened(start);
      } catch (RuntimeException e) {
        failed("sessionOpened", e);
      }
      sessions[i] = session == null ? McpSessionObservation.NOOP : session;
    }
    return () -> {
      for (McpSessionObservation session : sessions) {
        try {
          session.sessionClosed();
        } catch (RuntimeException e) {
          failed("sessionClosed", e);
        }
      }
    };
  }

  /** Calls a tool, with the observation's {@code _meta} entries added to the request. */
  Mono<McpSchema.CallToolResult> callTool(
      McpAsyncClient client, McpSchema.CallToolRequest request) {
    if (observers.length == 0) {
      return client.callTool(request);
    }
    return Mono.deferContextual(
        ctx -> {
          Map<String, Object> meta = meta(ctx.getOrDefault(REQUEST_KEY, null), request.meta());
          return client.callTool(
              meta == null
                  ? request
                  : new McpSchema.CallToolRequest(request.name(), request.arguments(), meta));
        });
  }

  /** Lists one page of tools, with the observation's {@code _meta} entries. */
  Mono<McpSchema.ListToolsResult> listTools(McpAsyncClient client, @Nullable String cursor) {
    if (observers.length == 0) {
      return cursor == null ? client.listTools() : client.listTools(cursor);
    }
    return Mono.deferContextual(
        ctx -> client.listTools(cursor, meta(ctx.getOrDefault(REQUEST_KEY, null), null)));
  }

  static @Nullable Map<String, Object> meta(
      @Nullable Object request, @Nullable Map<String, Object> existing) {
    if (!(request instanceof ObservationRequest)) {
      return existing;
    }
    Map<String, String> added = ((ObservationRequest) request).meta();
    if (added.isEmpty()) {
      return existing;
    }
    Map<String, Object> meta = new HashMap<>(added);
    if (existing != null) {
      meta.putAll(existing);
    }
    return meta;
  }

  static McpRequestStart requestStart(
      McpServerSpec server, String method, @Nullable String tool, @Nullable McpSession session) {
    return new McpRequestStart(
        server.name(),
        server.uri(),
        method,
        tool,
        session == null ? null : protocolVersion(session.client()),
        session == null ? null : session.sessionId());
  }

  private static @Nullable String protocolVersion(McpAsyncClient client) {
    McpSchema.InitializeResult result = client.getCurrentInitializationResult();
    return result == null ? null : result.protocolVersion();
  }

  /** Logs an observer's failure: a warning the first time per hook, then at debug level. */
  static void failed(String hook, RuntimeException e) {
    if (WARNED.add(hook)) {
      LOG.warn(
          "A run observer failed in {} ({}); the run goes on, later failures there are logged at"
              + " debug level",
          hook,
          e.getClass().getName());
    } else {
      LOG.debug("A run observer failed in {} ({})", hook, e.getClass().getName());
    }
  }
}
