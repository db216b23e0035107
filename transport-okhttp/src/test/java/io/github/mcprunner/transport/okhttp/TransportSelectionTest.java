package io.github.mcprunner.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.internal.TransportRegistry;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.transport.httpclient.HttpClientTransportFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both transports on the class path (transport-httpclient is a test dependency here): each is found
 * with ServiceLoader, a server picks one by name, and without a choice the documented default
 * (httpclient, priority 100 over okhttp's 50) serves, logged once.
 */
class TransportSelectionTest {

  private static final McpServerSpec ANY =
      McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp").build();

  @Test
  void serviceLoaderFindsBothTransportsWithTheirPriorities() {
    TransportRegistry registry =
        TransportRegistry.create(List.of(), TransportSelectionTest.class.getClassLoader());
    assertThat(registry.names()).containsExactlyInAnyOrder("httpclient", "okhttp");
    assertThat(new OkHttpTransportFactory().priority()).isEqualTo(50);
    assertThat(new HttpClientTransportFactory().priority()).isEqualTo(100);
  }

  @Test
  void withoutAChoiceTheDefaultIsHttpclientLoggedOnce() {
    TransportRegistry registry =
        TransportRegistry.create(List.of(), TransportSelectionTest.class.getClassLoader());
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(registry.forServer(ANY).name()).isEqualTo("httpclient");
      assertThat(registry.forServer(ANY.toBuilder().build()).name()).isEqualTo("httpclient");
      assertThat(registry.forServer(ANY.toBuilder().transport("okhttp").build()).name())
          .isEqualTo("okhttp");
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.split("Several MCP transports are available", -1)).hasSize(2);
    assertThat(log).contains("'httpclient'");
  }

  @Test
  void theOnlyTransportServesWithoutAChoice() {
    TransportRegistry registry =
        TransportRegistry.create(List.of(new OkHttpTransportFactory()), null);
    assertThat(registry.forServer(ANY).name()).isEqualTo("okhttp");
    assertThatThrownBy(() -> registry.forServer(ANY.toBuilder().transport("httpclient").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining("transport-httpclient");
  }

  @Test
  void eachServerOfOneAgentUsesTheTransportItNames() {
    try (EmbeddedMcpServer jdk =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        EmbeddedMcpServer ok =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .tool("ok_status", "Status", "{\"type\":\"object\"}", (args, request) -> "ok")
                .start();
        Runner runner = Runners.builder().discoverHeaderProviders(false).build()) {
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .callTool("ok_status", "{}")
                      .answer("done")
                      .build())
              .mcpServer(McpServerSpec.builder("default", jdk.url()).build())
              .mcpServer(McpServerSpec.builder("chosen", ok.url()).transport("okhttp").build())
              .build();

      runner.run(agent, "hi");

      assertThat(jdk.requests()).isNotEmpty();
      for (RecordedRequest request : jdk.requests()) {
        assertThat(request.header("User-Agent"))
            .hasValueSatisfying(ua -> assertThat(ua).startsWith("Java-http-client/"));
      }
      assertThat(ok.requests()).isNotEmpty();
      for (RecordedRequest request : ok.requests()) {
        assertThat(request.header("User-Agent"))
            .hasValueSatisfying(ua -> assertThat(ua).startsWith("okhttp/"));
      }
    }
  }
}
