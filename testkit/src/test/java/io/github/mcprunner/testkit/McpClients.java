package io.github.mcprunner.testkit;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The MCP SDK's own clients, and raw HTTP, pointed at an {@link EmbeddedMcpServer}. */
final class McpClients {

  /** Header names whose per-call values come from the transport context key of the same name. */
  static final List<String> PER_CALL_HEADERS = List.of("Authorization", "X-User-Id", "X-Tenant-Id");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private McpClients() {}

  /** Returns a client whose every HTTP request carries {@code headers}. */
  static McpSyncClient client(EmbeddedMcpServer server, Map<String, String> headers) {
    return client(server, headers, spec -> {});
  }

  /**
   * Returns a client whose every HTTP request carries {@code headers}, plus the {@link
   * #PER_CALL_HEADERS} found in the call's transport context.
   */
  // The SDK deprecates its legacy HTTP+SSE client transport; SSE mode exists to test that protocol.
  @SuppressWarnings("deprecation")
  static McpSyncClient client(
      EmbeddedMcpServer server, Map<String, String> headers, Consumer<McpClient.SyncSpec> tweaks) {
    McpSyncHttpClientRequestCustomizer customizer =
        (builder, method, uri, body, context) -> {
          headers.forEach(builder::setHeader);
          for (String name : PER_CALL_HEADERS) {
            Object value = context == null ? null : context.get(name);
            if (value != null) {
              builder.setHeader(name, value.toString());
            }
          }
        };
    String base = server.baseUri().toString();
    McpClientTransport transport =
        server.mode() == EmbeddedMcpServer.Mode.SSE
            ? HttpClientSseClientTransport.builder(base)
                .sseEndpoint("/sse")
                .addHttpRequestCustomizer(customizer)
                .build()
            : HttpClientStreamableHttpTransport.builder(base)
                .endpoint("/mcp")
                .addHttpRequestCustomizer(customizer)
                .build();
    McpClient.SyncSpec spec =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(30))
            .initializationTimeout(Duration.ofSeconds(30));
    tweaks.accept(spec);
    return spec.build();
  }

  static McpTransportContext context(Map<String, Object> values) {
    return McpTransportContext.create(values);
  }

  static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
  }

  static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) throws IOException {
    return McpJsonDefaults.getMapper().readValue(text, Map.class);
  }

  /** Sends a raw POST of {@code body} to {@code uri}, with {@code headers}. */
  static HttpResponse<String> post(URI uri, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String initializeBody() {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
        + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  }
}
