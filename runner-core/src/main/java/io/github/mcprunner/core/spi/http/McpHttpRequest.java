package io.github.mcprunner.core.spi.http;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.headers.McpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request of the Streamable HTTP transport, complete: the shared client resolved the run's
 * headers through the precedence chain before creating it, so the HTTP client only applies them.
 *
 * @param request the method and URI, with the MCP method and tool where known (for logging)
 * @param protocolHeaders the transport's own headers ({@code Accept}, {@code Cache-Control}, {@code
 *     Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}), in order
 * @param headers the run's resolved headers: final (no removal, no protected name, validated), to
 *     be set after the protocol headers, each name once; {@link McpHeaders#toString()} redacts the
 *     sensitive and secret values, so it is what a log line of the sent headers prints
 * @param jsonBody the JSON body of a POST (sent as {@code application/json} in UTF-8), else null
 * @param eventStream whether the response is a long-lived event stream (the standalone GET, a
 *     resumed answer stream): no read timeout applies
 */
public record McpHttpRequest(
    OutgoingRequest request,
    Map<String, String> protocolHeaders,
    McpHeaders headers,
    @Nullable String jsonBody,
    boolean eventStream) {

  /** Checks the parts and copies the protocol headers (order kept, unmodifiable). */
  public McpHttpRequest {
    requireNonNull(request, "request");
    requireNonNull(protocolHeaders, "protocolHeaders");
    requireNonNull(headers, "headers");
    protocolHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(protocolHeaders));
  }

  /** Returns the HTTP method, {@code POST}, {@code GET} or {@code DELETE}. */
  public String method() {
    return request.httpMethod();
  }
}
