package io.github.mcprunner.core.internal;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpTool;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Java blocks of this module's README, compiled by the build; ReadmeSnippetsTest in examples
 * checks that the README shows them as they are here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static RunResult runner(
      Agent agent, McpHeaderProvider myTenantProvider, String userToken, String userId) {
    // snippet:runner
    Runner runner =
        Runners.builder()
            .defaultMcpHeaders(McpHeaders.of("X-Client", "support-bot")) // layer 1
            .headerProvider(myTenantProvider) // layer 3, besides the ServiceLoader ones
            .build();

    RunResult result =
        runner.run(
            agent,
            "Summarise my open tickets",
            McpHeaders.of("Authorization", "Bearer " + userToken, "X-User-Id", userId));
    // end-snippet
    runner.close();
    return result;
  }

  static boolean chain(
      McpServerRef server,
      McpHeaders serverStaticHeaders,
      String runId,
      String userId,
      String userToken,
      @Nullable String wwwAuthenticate) {
    // snippet:chain
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.of("User-Agent", "support-desk/1.0"),
            HeaderProviders.discover(Thread.currentThread().getContextClassLoader()));

    RunScope run =
        RunScope.builder("support-bot", runId)
            .perRunHeaders(McpHeaders.of("X-User-Id", userId))
            .context(ContextKey.SUBJECT_TOKEN, userToken) // for a token exchange, never sent as is
            .build();

    HeaderRequest request =
        new HeaderRequest(server, serverStaticHeaders, run, "tools/call", "search_tickets");
    ResolvedHeaders resolved = chain.resolve(request);
    resolved.headers(); // the headers to send: no removal marker, no protected header
    resolved.contributors(); // the providers that returned headers (diagnostics)
    chain.onUnauthorized(request, wwwAuthenticate); // after a 401/403: may a retry succeed?
    // end-snippet
    return !resolved.headers().isEmpty();
  }

  static ToolOutcome toolbox(Runner runner, Agent agent, String userId, String userToken) {
    // snippet:toolbox
    McpToolbox toolbox = runner.toolbox(agent); // or runner.toolbox("name", List.of(servers...))

    RunOptions options =
        RunOptions.builder()
            .identity(userId) // the user's sessions are theirs alone
            .mcpHeaders(McpHeaders.of("Authorization", "Bearer " + userToken))
            .build();
    try (ToolboxRun run = toolbox.open(options)) {
      List<McpTool> tools = run.tools(); // tools/list with this user's headers
      // hand the tools to your framework; when its model calls one:
      return run.call("list_tickets", "{\"status\":\"open\"}");
    } // releases the run's hold on its sessions; the pooled sessions stay open
    // end-snippet
  }
}
