package io.github.mcprunner.core.spi.http;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request of the Streamable HTTP transport, before its resolved headers are added.
 *
 * @param request the method and URI, with the MCP method and tool where known: what header
 *     resolution sees
 * @param protocolHeaders the transport's own headers ({@code Accept}, {@code Cache-Control}, {@code
 *     Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}), in order
 * @param jsonBody the JSON body of a POST (sent as {@code application/json} in UTF-8), else null
 * @param context the MCP call's transport context: which run the request belongs to; {@link
 *     McpTransportContext#EMPTY} for requests of the session itself
 * @param eventStream whether the response is a long-lived event stream (the standalone GET, a
 *     resumed answer stream): no read timeout applies
 */
public record McpHttpRequest(
    OutgoingRequest request,
    Map<String, String> protocolHeaders,
    @Nullable String jsonBody,
    McpTransportContext context,
    boolean eventStream) {

  /** Checks the parts and copies the headers (order kept, unmodifiable). */
  public McpHttpRequest {
    requireNonNull(request, "request");
    requireNonNull(protocolHeaders, "protocolHeaders");
    requireNonNull(context, "context");
    protocolHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(protocolHeaders));
  }

  /** Returns the HTTP method, {@code POST}, {@code GET} or {@code DELETE}. */
  public String method() {
    return request.httpMethod();
  }
}
