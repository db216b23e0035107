package io.github.mcprunner.conformance;

import io.github.mcprunner.RunOptions;
import io.github.mcprunner.headers.McpHeaderProvider;
import java.net.URI;
import java.util.List;

/**
 * What each conformance scenario needs from the runner's configuration: which header providers,
 * which run context. Everything else (initialize, tools, the session) is the same for all.
 */
final class Scenarios {

  /**
   * The configuration of one scenario.
   *
   * @param description what is configured, for the log (no secret)
   * @param providers the header providers to register
   * @param options the run's options (context such as the user's token)
   */
  record Setup(String description, List<McpHeaderProvider> providers, RunOptions options) {
    Setup {
      providers = List.copyOf(providers);
    }

    static Setup plain() {
      return new Setup("no header providers", List.of(), RunOptions.defaults());
    }
  }

  private Scenarios() {}

  static Setup setupFor(ScenarioContext context, URI server) {
    switch (context.scenario()) {
      default:
        return Setup.plain();
    }
  }
}
