package io.github.mcprunner.examples.readme;

// snippet:quick-start
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.model.Model;

public final class QuickStart {

  /** A signed-in user of your service, with a token minted for the ticket server. */
  public record SignedInUser(String userId, String tenantId, String tokenForTicketServer) {}

  public static void answer(Model model, String ticketServerUrl, SignedInUser user) {
    // Once, at start-up: one agent and one runner serve every user.
    Agent agent =
        Agent.builder("support")
            .instructions("Answer from the ticket system.")
            .model(model) // any Model: model-openai's, your own, or testkit's ScriptedModel
            .mcpServer(McpServerSpec.builder("tickets", ticketServerUrl).build())
            .build();
    try (Runner runner = Runners.create()) { // transports and providers found on the class path

      // Per request of your service: the signed-in user's headers go with this run only.
      McpHeaders userHeaders =
          McpHeaders.of(
              "Authorization", "Bearer " + user.tokenForTicketServer(), "X-User-Id", user.userId());
      RunResult result = runner.run(agent, "Summarise my open tickets", userHeaders);
      System.out.println(result.finalOutput());

      // More per-run settings: context for providers, per-server headers, identity, cancellation.
      RunOptions options =
          RunOptions.builder()
              .mcpHeaders(McpHeaders.of("X-Request-Id", "req-42"))
              .context(ContextKey.TENANT_ID, user.tenantId()) // e.g. for a tenant provider
              .build();
      System.out.println(runner.run(agent, "Summarise my open tickets", options).finalOutput());
    } // closing the runner ends its MCP sessions (HTTP DELETE)
  }
}
// end-snippet
