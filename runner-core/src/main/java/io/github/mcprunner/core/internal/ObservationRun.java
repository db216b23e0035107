package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.core.internal.http.StatelessHttpClient;
import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelResponse;
import io.github.mcprunner.model.Usage;
import io.github.mcprunner.observe.McpRequestObservation;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.ModelTurnObservation;
import io.github.mcprunner.observe.ModelTurnStart;
import io.github.mcprunner.observe.RunObservation;
import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The observation of one run, as the engine's hooks see it: {@link #NONE} when the runner has no
 * observer, whose hooks do nothing. Confined to the run's thread, but for the request observations
 * it hands out. Not public API.
 */
final class ObservationRun {
  static final ObservationRun NONE = new ObservationRun(null, "", new RunObservation[0]);

  private final @Nullable Observation owner;
  private final String runId;
  private final RunObservation[] observations;
  private ModelTurnObservation @Nullable [] turn;
  private int turns;

  ObservationRun(@Nullable Observation owner, String runId, RunObservation[] observations) {
    this.owner = owner;
    this.runId = runId;
    this.observations = observations;
  }

  /** Before {@code model} is asked. */
  void turnStarted(Model model) {
    if (observations.length == 0) {
      return;
    }
    ModelTurnObservation[] started = new ModelTurnObservation[observations.length];
    ModelTurnStart start = turnStart(model, turns++);
    for (int i = 0; i < observations.length; i++) {
      ModelTurnObservation observation = null;
      try {
        observation = observations[i].modelTurnStarted(start);
      } catch (RuntimeException e) {
        Observation.failed("modelTurnStarted", e);
      }
      started[i] = observation == null ? ModelTurnObservation.NOOP : observation;
    }
    turn = started;
  }

  /** After the model answered. */
  void turnFinished(ModelResponse response) {
    ModelTurnObservation[] open = turn;
    if (open == null) {
      return;
    }
    turn = null;
    for (ModelTurnObservation observation : open) {
      try {
        observation.turnFinished(response.usage(), response.toolCalls().size());
      } catch (RuntimeException e) {
        Observation.failed("turnFinished", e);
      }
    }
  }

  private static ModelTurnStart turnStart(Model model, int number) {
    String provider = null;
    String name = null;
    try {
      provider = model.providerName().orElse(null);
      name = model.requestModel().orElse(null);
    } catch (RuntimeException e) {
      Observation.failed("Model.providerName", e);
    }
    return new ModelTurnStart(number, provider, name);
  }

  /** After the run returned its result. */
  void finished(RunResult result) {
    finished(result.usage());
  }

  /** After the run ended with {@code usage}: a toolbox run when its caller closed it. */
  void finished(Usage usage) {
    if (observations.length == 0) {
      return;
    }
    for (RunObservation observation : observations) {
      try {
        observation.runFinished(usage);
      } catch (RuntimeException e) {
        Observation.failed("runFinished", e);
      }
    }
    ended();
  }

  /** After the run failed (a model turn still open failed with it). */
  void failed(Throwable error) {
    if (observations.length == 0) {
      return;
    }
    ModelTurnObservation[] open = turn;
    turn = null;
    if (open != null) {
      for (ModelTurnObservation observation : open) {
        try {
          observation.turnFailed(error);
        } catch (RuntimeException e) {
          Observation.failed("turnFailed", e);
        }
      }
    }
    for (RunObservation observation : observations) {
      try {
        observation.runFailed(error);
      } catch (RuntimeException e) {
        Observation.failed("runFailed", e);
      }
    }
    ended();
  }

  private void ended() {
    Observation o = owner;
    if (o != null) {
      o.runEnded(runId);
    }
  }

  /**
   * Observes one MCP request {@code operation} on {@code session}; returns {@code operation} itself
   * when nothing observes.
   */
  <T> Mono<T> mcp(McpSession session, String method, @Nullable String tool, Mono<T> operation) {
    if (observations.length == 0 || "tools/list".equals(method) && !listsRemotely(session)) {
      return operation;
    }
    return request(session.server(), method, tool, session, operation);
  }

  /** Whether listing tools on {@code session} sends a request (mirrors McpSession.listTools). */
  private static boolean listsRemotely(McpSession session) {
    if (session.cachedTools() != null) {
      return false;
    }
    McpSchema.ServerCapabilities capabilities = session.client().getServerCapabilities();
    return capabilities == null || capabilities.tools() != null;
  }

  <T> Mono<T> request(
      McpServerSpec server,
      String method,
      @Nullable String tool,
      @Nullable McpSession session,
      Mono<T> operation) {
    return Mono.defer(
        () -> {
          ObservationRequest request =
              started(Observation.requestStart(server, method, tool, session));
          return operation
              .doOnSuccess(request::succeeded)
              .doOnError(request::failed)
              .doOnCancel(request::cancelled)
              .contextWrite(ctx -> ctx.put(Observation.REQUEST_KEY, request));
        });
  }

  /**
   * Observes one stateless request (MCP 2026-07-28) of {@code method} to {@code server}: protocol
   * version 2026-07-28, no session; null when nothing observes.
   */
  @Nullable ObservationRequest stateless(
      McpServerSpec server, String method, @Nullable String tool) {
    if (observations.length == 0) {
      return null;
    }
    return started(
        new McpRequestStart(
            server.name(), server.uri(), method, tool, StatelessHttpClient.VERSION, null));
  }

  private ObservationRequest started(McpRequestStart start) {
    McpRequestObservation[] started = new McpRequestObservation[observations.length];
    for (int i = 0; i < observations.length; i++) {
      McpRequestObservation observation = null;
      try {
        observation = observations[i].mcpRequestStarted(start);
      } catch (RuntimeException e) {
        Observation.failed("mcpRequestStarted", e);
      }
      started[i] = observation == null ? McpRequestObservation.NOOP : observation;
    }
    return new ObservationRequest(started);
  }
}
