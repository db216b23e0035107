package io.github.mcprunner.transport.httpclient;

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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The transport's TRACE line of every request names the headers but prints no secret: not a
 * sensitive header's value, not a value of a name the runner declared sensitive, not a credential
 * in the server URL's query.
 */
class LoggingRedactionTest {

  @Test
  void traceLinesRedactSensitiveValuesTheRunnersOwnSensitiveNamesAndTheUrlQuery() {
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
                .transport(new HttpClientTransportFactory())
                .sensitiveHeaders("X-Corp-Sig")
                .build()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      URI withKey = URI.create(server.url() + "?api_key=url-secret-key");
      Agent agent =
          Agent.builder("support")
              .model(ScriptedModel.builder().callTool("whoami", "{}").answer("done").build())
              .mcpServer(McpServerSpec.builder("tickets", withKey).build())
              .build();
      runner.run(
          agent,
          "hi",
          McpHeaders.of(
              "Authorization", "Bearer top-secret-token",
              "X-Corp-Sig", "corp-signature-value",
              "X-Tenant-Id", "acme"));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .contains("JdkMcpHttpClient")
        .contains("X-Corp-Sig=" + McpHeaders.REDACTED)
        .contains("X-Tenant-Id=acme")
        .contains("api_key=" + McpHeaders.REDACTED);
    assertThat(log)
        .doesNotContain("top-secret-token")
        .doesNotContain("corp-signature-value")
        .doesNotContain("url-secret-key");
  }
}
