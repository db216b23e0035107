package io.github.mcprunner.headers.config;

import io.github.mcprunner.Agent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Java blocks of this module's README, compiled by the build; ReadmeSnippetsTest in examples
 * checks that the README shows them as they are here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  /** Where your service keeps its tenants. */
  interface TenantRepository {
    Optional<McpHeaders> headersOf(String tenantId);
  }

  static RunResult discovered(Runner runner, Agent agent) {
    // snippet:discovered
    // The runner discovers both providers; the run names its tenant.
    RunResult result =
        runner.run(
            agent,
            "Summarise my open tickets",
            RunOptions.builder().context(ContextKey.TENANT_ID, "acme").build());
    // end-snippet
    return result;
  }

  static List<AutoCloseable> inCode(
      String crmKey, String acmeKey, TenantRepository tenantRepository) {
    // snippet:in-code
    ConfiguredHeadersProvider fixed =
        ConfiguredHeadersProvider.builder()
            .global(McpHeaders.of("X-Client", "support-bot/1.4"))
            .uriPrefix("https://mcp.internal.example.com/", McpHeaders.of("X-Route", "internal"))
            .server("crm", McpHeaders.of("X-Api-Key", crmKey))
            .file(Path.of("headers.properties")) // optional, reloaded on change
            .build();
    ConfiguredHeadersProvider fromFile =
        ConfiguredHeadersProvider.fromFile(Path.of("headers.properties"));

    TenantHeadersProvider tenants =
        TenantHeadersProvider.builder()
            .tenant("acme", McpHeaders.of("X-Api-Key", acmeKey))
            .fallback(McpHeaders.of("X-Tenant-Route", "shared")) // without it: unknown fails
            .build();
    TenantHeadersProvider looked = TenantHeadersProvider.of(id -> tenantRepository.headersOf(id));
    // end-snippet
    return List.of(fixed, fromFile, tenants, looked);
  }
}
