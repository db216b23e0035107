package io.github.mcprunner.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The top-level README's Quick start and header provider, run as written. */
class ReadmeExamplesTest {

  @Test
  void quickStartSendsEachRunsHeadersAndTheDiscoveredProvidersTenant() {
    try (EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      ScriptedModel model =
          ScriptedModel.builder()
              .callTool("whoami", "{}")
              .answer(ScriptedModel::lastToolOutput)
              .build();
      QuickStart.SignedInUser alice =
          new QuickStart.SignedInUser("alice", "acme", "token-for-tickets");

      String printed = printedBy(() -> QuickStart.answer(model, server.url().toString(), alice));

      List<RecordedRequest> calls =
          server.requests().stream().filter(r -> r.isToolCall("whoami")).toList();
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0).header("Authorization")).contains("Bearer token-for-tickets");
      assertThat(calls.get(0).header("X-User-Id")).contains("alice");
      assertThat(calls.get(1).header("X-Request-Id")).contains("req-42");
      // The second run names its tenant as context: TenantIdProvider, found by ServiceLoader
      // through its @AutoService registration, turns it into X-Tenant-Id.
      assertThat(calls.get(1).header("X-Tenant-Id")).contains("acme");
      assertThat(calls.get(0).header("X-Tenant-Id")).isEmpty();
      assertThat(printed).contains("\"userId\":\"alice\"").contains("\"tenantId\":\"acme\"");
      // The runner was closed: its session ended with DELETE.
      assertThat(server.requests()).anyMatch(r -> r.httpMethod().equals("DELETE"));
    }
  }

  @Test
  void theHeaderProviderIsRegisteredForServiceLoader() {
    assertThat(ServiceLoader.load(McpHeaderProvider.class).stream())
        .anyMatch(provider -> provider.type() == TenantIdProvider.class);
  }

  private static String printedBy(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
