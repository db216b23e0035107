package io.github.mcprunner.headers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants' runs through the runner against the embedded MCP server: every request of each run
 * carries the headers configured for its tenant, and the configured server headers.
 */
class StaticProvidersEndToEndTest {

  @TempDir Path dir;

  @Test
  void eachTenantsRunsCarryTheirConfiguredHeadersOnEveryRequest() throws Exception {
    Path tenants = dir.resolve("tenants.properties");
    Files.writeString(
        tenants,
        String.join(
            "\n",
            "tenant.acme.X-Tenant-Route=eu-1",
            "tenant.acme.X-Api-Key=acme-key",
            "tenant.globex.X-Tenant-Route=us-2",
            "tenant.globex.X-Api-Key=globex-key",
            ""));
    Path servers = dir.resolve("servers.properties");
    Files.writeString(
        servers, "headers.X-Client=support-bot\nserver.tickets.headers.X-Api-Version=3\n");

    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        TenantHeadersProvider tenantHeaders =
            TenantHeadersProvider.builder()
                .file(tenants)
                .reloadInterval(java.time.Duration.ZERO)
                .build();
        ConfiguredHeadersProvider configured =
            ConfiguredHeadersProvider.builder()
                .file(servers)
                .reloadInterval(java.time.Duration.ZERO)
                .build();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(tenantHeaders)
                .headerProvider(configured)
                .build()) {
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("list_tickets", "{}")
                      .callTool("whoami", "{}")
                      .answer(ScriptedModel::lastToolOutput)
                      .build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();

      List<CompletableFuture<?>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        for (String tenant : List.of("acme", "globex")) {
          runs.add(
              runner.runAsync(
                  agent,
                  "my tickets",
                  RunOptions.builder()
                      .context(ContextKey.TENANT_ID, tenant)
                      .context(ContextKey.USER_ID, tenant + "-user")
                      .mcpHeaders(McpHeaders.of("X-Run", tenant + "-" + i))
                      .build()));
        }
      }
      for (CompletableFuture<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
      runner.close();

      List<RecordedRequest> requests = server.requests();
      assertThat(requests.stream().filter(r -> "tools/call".equals(r.mcpMethod())).count())
          .isEqualTo(40);
      for (RecordedRequest request : requests) {
        String run = request.header("X-Run").orElseThrow();
        String tenant = run.substring(0, run.indexOf('-'));
        assertThat(request.headerValues("X-Tenant-Route"))
            .as(request.toString())
            .containsExactly(tenant.equals("acme") ? "eu-1" : "us-2");
        assertThat(request.headerValues("X-Api-Key")).containsExactly(tenant + "-key");
        assertThat(request.headerValues("X-Client")).containsExactly("support-bot");
        assertThat(request.headerValues("X-Api-Version")).containsExactly("3");
      }
      assertThat(
              requests.stream()
                  .map(r -> r.header("X-Run").orElseThrow())
                  .collect(Collectors.toSet()))
          .hasSizeGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void unknownTenantFailsTheRunWithTheAdviceAtTheTop() throws Exception {
    Path tenants = dir.resolve("tenants.properties");
    Files.writeString(tenants, "tenant.acme.X-Api-Key=acme-key\n");
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        TenantHeadersProvider tenantHeaders =
            TenantHeadersProvider.builder()
                .file(tenants)
                .reloadInterval(java.time.Duration.ZERO)
                .build();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(tenantHeaders)
                .build()) {
      Agent agent =
          Agent.builder("support")
              .model(ScriptedModel.builder().callTool("whoami", "{}").answer("done").build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();

      assertThatThrownBy(
              () ->
                  runner.run(
                      agent,
                      "who am I",
                      RunOptions.builder().context(ContextKey.TENANT_ID, "initech").build()))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessage(
              "Header provider 'tenant-headers' failed for server 'tickets': tenant 'initech' is"
                  + " not in its tenant table; add it, or enable a fallback"
                  + " (unknown-tenant=fallback in the tenant file, or the builder's fallback(...));"
                  + " the request was not sent");
      assertThat(server.requests()).isEmpty();
    }
  }
}
