package io.github.mcprunner.spring;

import io.github.mcprunner.Agent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Java blocks of this module's README, compiled by the build; ReadmeSnippetsTest in examples
 * checks that the README shows them as they are here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static RunResult run(Runner runner, Agent agent, CurrentRunOptions currentRunOptions) {
    // snippet:run
    // On the request's thread: the signed-in user's identity and token (for token exchange).
    RunResult result = runner.run(agent, "Summarise my open tickets", currentRunOptions.get());
    // end-snippet
    return result;
  }

  static String toolContext(
      ChatClient chatClient, McpRunnerToolCallbackProvider mcpTools, String userId) {
    // snippet:tool-context
    RunOptions options =
        RunOptions.builder()
            .identity(userId)
            .mcpHeaders(McpHeaders.of("X-Request-Id", "req-42"))
            .build();
    String answer =
        chatClient
            .prompt("Summarise my open tickets")
            .toolCallbacks(mcpTools)
            .toolContext(Map.of(McpRunnerToolCallbackProvider.RUN_OPTIONS, options))
            .call()
            .content();
    // end-snippet
    return answer;
  }

  @Configuration
  static class TenantHeaders {
    // snippet:provider-bean
    // Joins the chain beside the discovered providers (layer 3, by order() then name()).
    @Bean
    McpHeaderProvider tenantHeader() {
      return new McpHeaderProvider() {
        @Override
        public String name() {
          return "tenant-id";
        }

        @Override
        public McpHeaders headers(HeaderContext context) {
          return context
              .get(ContextKey.TENANT_ID)
              .map(tenant -> McpHeaders.of("X-Tenant-Id", tenant))
              .orElse(McpHeaders.empty());
        }
      };
    }

    // Replaces the Spring Security bridge: adds the tenant to the signed-in user's options.
    @Bean
    CurrentRunOptions currentRunOptions(TenantDirectory tenants) {
      return () -> {
        String user = tenants.currentUser();
        return RunOptions.builder()
            .identity(user)
            .context(ContextKey.USER_ID, user)
            .context(ContextKey.TENANT_ID, tenants.tenantOf(user))
            .build();
      };
    }
    // end-snippet
  }

  /** Where the application finds its users' tenants. */
  interface TenantDirectory {
    String currentUser();

    String tenantOf(String user);
  }
}
