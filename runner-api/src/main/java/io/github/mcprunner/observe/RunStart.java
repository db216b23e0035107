package io.github.mcprunner.observe;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What is known of a run when it starts.
 *
 * @param runId the run's id
 * @param agentName the name of the agent being run
 * @param tenantId the run's {@code ContextKey.TENANT_ID} context value, or null; an observer
 *     records it only when its user opted in
 * @param userId the run's {@code ContextKey.USER_ID} context value, or null; an observer records it
 *     only when its user opted in
 * @param kind an agent run, or a run of a toolbox ({@code McpToolbox.open}), whose {@code
 *     agentName} is then the toolbox's name
 */
public record RunStart(
    String runId, String agentName, @Nullable String tenantId, @Nullable String userId, Kind kind) {

  /** What a run is. */
  public enum Kind {
    /**
     * A run of an agent through the runner's agent loop: model turns and MCP requests, ended by
     * {@link RunObservation#runFinished} with the run's result or by {@link
     * RunObservation#runFailed}.
     */
    AGENT,
    /**
     * A run of an {@code McpToolbox} (the MCP layer without the agent loop, as an agent framework
     * uses it): MCP requests only, no model turn; ended by {@link RunObservation#runFinished} with
     * no token usage when the caller closes it. The agent framework around it owns the agent and
     * tool spans, so an observer should not open a span for the run itself: its MCP requests belong
     * under whatever the framework had current when it called the tool.
     */
    TOOLBOX
  }

  /** Checks that no required part is null. */
  public RunStart {
    requireNonNull(runId, "runId");
    requireNonNull(agentName, "agentName");
    requireNonNull(kind, "kind");
  }

  /** Returns the start of an {@linkplain Kind#AGENT agent} run. */
  public RunStart(
      String runId, String agentName, @Nullable String tenantId, @Nullable String userId) {
    this(runId, agentName, tenantId, userId, Kind.AGENT);
  }

  /** Returns the tenant id, if the run has one. */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenantId);
  }

  /** Returns the user id, if the run has one. */
  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }

  /** Returns the run id and agent name only: tenant and user ids are left out. */
  @Override
  public String toString() {
    return "RunStart{run=" + runId + ", agent=" + agentName + ", kind=" + kind + "}";
  }
}
