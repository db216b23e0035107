package io.github.mcprunner.observability.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.testkit.ScriptedModel;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tool call answered with a JSON-RPC error (which the testkit server never sends: its tools
 * answer errors as results): the MCP SDK's own server on Jetty, on loopback, with a tool that
 * refuses its arguments with {@code -32602}.
 */
class JsonRpcErrorTest {
  private Server jetty;
  private McpSyncServer mcp;
  private URI url;

  @BeforeEach
  void start() throws Exception {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint("/mcp")
            .build();
    mcp =
        McpServer.sync(transport)
            .jsonMapper(json)
            .serverInfo("strict", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(
                McpServerFeatures.SyncToolSpecification.builder()
                    .tool(
                        McpSchema.Tool.builder(
                                "strict", json, "{\"type\":\"object\",\"properties\":{}}")
                            .description("Refuses every call.")
                            .build())
                    .callHandler(
                        (exchange, request) -> {
                          throw McpError.builder(-32602).message("bad arguments").build();
                        })
                    .build())
            .build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/mcp");
    jetty.setHandler(context);
    jetty.start();
    url = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
  }

  @AfterEach
  void stop() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
  }

  @Test
  void aJsonRpcErrorSetsItsCodeAsErrorTypeAndResponseStatusCode() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        Runner runner =
            Runners.builder()
                .discoverHeaderProviders(false)
                .discoverObservers(false)
                .observer(OpenTelemetryObserver.create(otel))
                .build()) {
      Agent agent =
          Agent.builder("support")
              .instructions("Help.")
              .model(ScriptedModel.builder().callTool("strict", "{}").build())
              .mcpServer(McpServerSpec.builder("strict", url).build())
              .build();

      RunResult result = runner.run(agent, "Try", RunOptions.builder().build());

      // The model is told the server refused the call; the run goes on.
      assertThat(result.finalOutput()).contains("refused the call");
      SpanData call =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getName().equals("tools/call strict"))
              .findFirst()
              .orElseThrow();
      assertThat(call.getAttributes().get(AttributeKey.stringKey("error.type")))
          .isEqualTo("-32602");
      assertThat(call.getAttributes().get(AttributeKey.stringKey("rpc.response.status_code")))
          .isEqualTo("-32602");
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(call.getStatus().getDescription()).isEmpty();
    }
  }
}
