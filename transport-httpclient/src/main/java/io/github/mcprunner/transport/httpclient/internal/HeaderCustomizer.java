package io.github.mcprunner.transport.httpclient.internal;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Applies the runner's resolved headers to every request the SDK builds, after the SDK set its own
 * protocol headers. The resolved headers hold no protected name (the chain refuses them), so {@code
 * setHeader} never touches {@code Accept}, {@code Content-Type}, {@code Mcp-Session-Id} or {@code
 * MCP-Protocol-Version}; {@code setHeader} rather than {@code header} so that a name is sent once.
 * A failing provider fails the publisher: the request is not sent. Not public API.
 */
public final class HeaderCustomizer implements McpAsyncHttpClientRequestCustomizer {
  private final RequestHeaderSource headers;
  private final McpJsonMapper jsonMapper;

  public HeaderCustomizer(RequestHeaderSource headers, McpJsonMapper jsonMapper) {
    this.headers = headers;
    this.jsonMapper = jsonMapper;
  }

  @Override
  public Publisher<HttpRequest.Builder> customize(
      HttpRequest.Builder builder,
      String method,
      URI endpoint,
      @Nullable String body,
      McpTransportContext context) {
    return Mono.fromCallable(
        () -> {
          String mcpMethod = null;
          String toolName = null;
          if (body != null) {
            String[] parsed = methodAndTool(body);
            mcpMethod = parsed[0];
            toolName = parsed[1];
          }
          McpHeaders resolved =
              headers.headersFor(
                  new OutgoingRequest(method, endpoint, mcpMethod, toolName), context);
          resolved.forEach(builder::setHeader);
          return builder;
        });
  }

  private String[] methodAndTool(String body) {
    try {
      McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(jsonMapper, body);
      if (message instanceof McpSchema.JSONRPCRequest) {
        McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) message;
        String tool = null;
        if ("tools/call".equals(request.method()) && request.params() instanceof Map) {
          Object name = ((Map<?, ?>) request.params()).get("name");
          tool = name instanceof String ? (String) name : null;
        }
        return new String[] {request.method(), tool};
      }
      if (message instanceof McpSchema.JSONRPCNotification) {
        return new String[] {((McpSchema.JSONRPCNotification) message).method(), null};
      }
    } catch (IOException | RuntimeException e) {
      // Not a single JSON-RPC request (a response or a batch): no method to report.
    }
    return new String[] {null, null};
  }
}
