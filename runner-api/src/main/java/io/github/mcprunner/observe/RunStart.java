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
 */
public record RunStart(
    String runId, String agentName, @Nullable String tenantId, @Nullable String userId) {

  /** Checks that the id and the agent name are not null. */
  public RunStart {
    requireNonNull(runId, "runId");
    requireNonNull(agentName, "agentName");
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
    return "RunStart{run=" + runId + ", agent=" + agentName + "}";
  }
}
