package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunCancellation;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.ToolboxRun;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link McpToolbox} of a {@link DefaultRunner}: opens {@link ToolboxSession}s over the
 * runner's session pools. Not public API.
 */
final class DefaultToolbox implements McpToolbox {
  private final DefaultRunner runner;
  private final String name;
  private final List<McpServerSpec> servers;
  private volatile boolean closed;

  DefaultToolbox(DefaultRunner runner, String name, List<McpServerSpec> servers) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("toolbox name is blank");
    }
    Set<String> names = new HashSet<>();
    for (McpServerSpec server : requireNonNull(servers, "servers")) {
      if (!names.add(requireNonNull(server, "server").name())) {
        throw new IllegalArgumentException(
            "toolbox '" + name + "' has two MCP servers named '" + server.name() + "'");
      }
    }
    this.runner = runner;
    this.name = name;
    this.servers = List.copyOf(servers);
  }

  @Override
  public ToolboxRun open(RunOptions options) {
    requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("toolbox '" + name + "' is closed");
    }
    runner.checkOpen();
    String runId = DefaultRunner.newRunId();
    ObservationRun observed = runner.observation().toolboxRunStarted(runId, name, options);
    try {
      return new ToolboxSession(
          runner,
          "toolbox '" + name + "'",
          name,
          servers,
          options,
          runId,
          new RunCancellation(),
          observed,
          true);
    } catch (RuntimeException e) {
      observed.failed(e);
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
