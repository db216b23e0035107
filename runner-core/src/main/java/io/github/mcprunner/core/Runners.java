package io.github.mcprunner.core;

import io.github.mcprunner.Runner;

/**
 * Creates {@link Runner}s.
 *
 * <pre>{@code
 * Runner runner = Runners.builder()
 *     .defaultMcpHeaders(McpHeaders.of("X-Client", "support-bot"))
 *     .build();
 * RunResult result = runner.run(agent, "Summarise my open tickets",
 *     McpHeaders.of("Authorization", "Bearer " + userToken, "X-User-Id", userId));
 * }</pre>
 */
public final class Runners {
  private Runners() {}

  /** Returns a builder of a runner. */
  public static RunnerBuilder builder() {
    return new RunnerBuilder();
  }

  /**
   * Returns a runner with the defaults: header providers and transports found with {@link
   * java.util.ServiceLoader}, no default headers, a cached thread pool for asynchronous runs.
   */
  public static Runner create() {
    return builder().build();
  }
}
