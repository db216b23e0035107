package io.github.mcprunner.headers.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.config.testing.RecordingLogs;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Values that came from {@code ${file:}}, {@code ${env:}} and {@code ${sys:}} references, under
 * header names that do not look sensitive, go through the runner to the embedded MCP server with
 * every logger at TRACE (captured in memory, nothing printed): the server receives them, and no log
 * line and no {@code toString()} holds any of them.
 */
class SecretReferencesNeverPrintedTest {

  @TempDir Path dir;

  @BeforeEach
  void clearLogs() {
    RecordingLogs.clear();
  }

  @Test
  void valuesFromSecretReferencesAreRedactedInEveryLogLineAndToString() throws Exception {
    String fileSecret = "FILESECRET-" + UUID.randomUUID();
    String envSecret = "ENVSECRET-" + UUID.randomUUID();
    String listSecret = "LISTSECRET-" + UUID.randomUUID();
    String sysSecret = "SYSSECRET-" + UUID.randomUUID();
    String tenantSecret = "TENANTSECRET-" + UUID.randomUUID();
    List<String> secrets = List.of(fileSecret, envSecret, listSecret, sysSecret, tenantSecret);
    TestFiles.write(dir.resolve("custom"), fileSecret);
    TestFiles.write(dir.resolve("tenant-secret"), tenantSecret);
    Path headers =
        TestFiles.write(
            dir.resolve("headers.properties"),
            "headers.X-Custom=${file:custom}",
            "headers.X-Env-Val=${env:ENV_VAL}",
            "server.tickets.headers.X-Sys-Val=v-${sys:sys.val}",
            "headers.X-Plain=plain-value");
    Path tenants =
        TestFiles.write(
            dir.resolve("tenants.properties"), "tenant.acme.X-Tenant-Extra=${file:tenant-secret}");
    Map<String, String> environment =
        Map.of(
            "ENV_VAL", envSecret,
            "LIST_VAL", listSecret,
            "MCPRUNNER_HEADERS", "X-List-Val=${env:LIST_VAL}");
    Map<String, String> systemProperties = Map.of("sys.val", sysSecret);
    List<String> printed = new ArrayList<>();

    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        ConfiguredHeadersProvider configured =
            ConfiguredHeadersProvider.builder()
                .autoConfigure()
                .file(headers)
                .environment(environment)
                .systemProperties(systemProperties)
                .reloadInterval(Duration.ZERO)
                .build();
        TenantHeadersProvider tenantHeaders =
            TenantHeadersProvider.builder()
                .file(tenants)
                .environment(environment)
                .systemProperties(systemProperties)
                .reloadInterval(Duration.ZERO)
                .build();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .headerProvider(configured)
                .headerProvider(tenantHeaders)
                .build()) {
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .answer(ScriptedModel::lastToolOutput)
                      .build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();

      RunResult result =
          runner.run(
              agent,
              "who am I",
              RunOptions.builder().context(ContextKey.TENANT_ID, "acme").build());

      HeaderContext context =
          HeaderContext.builder(McpServerRef.of("tickets", server.url().toString()))
              .put(ContextKey.TENANT_ID, "acme")
              .build();
      McpHeaders fromConfig = configured.headers(context);
      McpHeaders fromTenant = tenantHeaders.headers(context);
      McpHeaders merged = fromConfig.overriddenBy(fromTenant);
      printed.add(fromConfig.toString());
      printed.add(fromTenant.toString());
      printed.add(merged.toString());
      printed.add(merged.toBuilder().build().toString());
      printed.add(configured.toString());
      printed.add(tenantHeaders.toString());
      printed.add(result.toString());
      printed.add(runner.toString());
      printed.add(agent.toString());

      // The server got every value: the scan below is not vacuous.
      RecordedRequest call =
          server.requests().stream().filter(r -> r.isToolCall("whoami")).findFirst().orElseThrow();
      assertThat(call.headerValues("X-Custom")).containsExactly(fileSecret);
      assertThat(call.headerValues("X-Env-Val")).containsExactly(envSecret);
      assertThat(call.headerValues("X-List-Val")).containsExactly(listSecret);
      assertThat(call.headerValues("X-Sys-Val")).containsExactly("v-" + sysSecret);
      assertThat(call.headerValues("X-Tenant-Extra")).containsExactly(tenantSecret);
      for (McpHeaders h : List.of(fromConfig, fromTenant, merged)) {
        for (String name : h.names()) {
          assertThat(h.isSecret(name)).as(name).isEqualTo(!name.equals("X-Plain"));
        }
      }
      assertThat(merged.toString()).contains("X-Custom=" + McpHeaders.REDACTED, "plain-value");

      // A broken rotation of a secret file: the error names the reference, not the value.
      TestFiles.write(dir.resolve("custom"), fileSecret + "\u0007");
      assertThat(configured.reload()).isFalse();
      assertThat(RecordingLogs.events(Level.ERROR)).hasSize(1);
    }

    List<RecordingLogs.Event> events = RecordingLogs.events();
    assertThat(events)
        .as("the transport logged the headers of every request at TRACE")
        .anySatisfy(
            e -> {
              assertThat(e.level()).isEqualTo(Level.TRACE);
              assertThat(e.text()).contains("with headers", "X-Custom=" + McpHeaders.REDACTED);
            });
    for (RecordingLogs.Event event : events) {
      for (String secret : secrets) {
        assertThat(event.text()).as(event.logger() + " " + event.level()).doesNotContain(secret);
      }
    }
    for (String text : printed) {
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }
}
