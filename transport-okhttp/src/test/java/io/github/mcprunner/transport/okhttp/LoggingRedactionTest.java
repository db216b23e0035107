package io.github.mcprunner.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The transport's logging (at TRACE here) names headers but never prints a sensitive value. */
class LoggingRedactionTest {

  @Test
  void traceLinesNameTheHeadersAndRedactSensitiveValues() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .discoverTransports(false)
                .transport(new OkHttpTransportFactory())
                .build()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Agent agent =
          Agent.builder("support")
              .model(ScriptedModel.builder().callTool("whoami", "{}").answer("done").build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();
      runner.run(
          agent,
          "hi",
          McpHeaders.of(
              "Authorization", "Bearer top-secret-token",
              "X-Api-Key", "secret-api-key",
              "X-Tenant-Id", "acme"));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("HeaderInterceptor").contains("Authorization").contains("X-Tenant-Id");
    assertThat(log).doesNotContain("top-secret-token").doesNotContain("secret-api-key");
  }
}
