package io.github.mcprunner.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Both transports on the class path (transport-httpclient is a test dependency here): each is found
 * with ServiceLoader, a server picks one by name, and without a choice the documented default
 * (httpclient, order 100 over okhttp's 50) serves, logged once.
 */
class TransportSelectionTest {

  @Test
  void serviceLoaderFindsBothTransportsWithTheirOrders() {
    Map<String, Integer> orders = new TreeMap<>();
    for (McpTransportFactory factory :
        ServiceLoader.load(McpTransportFactory.class, getClass().getClassLoader())) {
      orders.put(factory.name(), factory.order());
    }
    assertThat(orders).containsExactly(Map.entry("httpclient", 100), Map.entry("okhttp", 50));
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

      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      PrintStream original = System.err;
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        runner.run(agent, "hi");
      } finally {
        System.setErr(original);
      }
      // Without a choice the default (httpclient, the highest order) serves, logged once.
      String log = captured.toString(StandardCharsets.UTF_8);
      assertThat(log.split("Several MCP transports are available", -1)).hasSize(2);
      assertThat(log).contains("'httpclient'");

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
