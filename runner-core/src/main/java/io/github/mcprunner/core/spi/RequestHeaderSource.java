package io.github.mcprunner.core.spi;

import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;

/**
 * Where a transport gets the headers of each HTTP request: the runner's precedence chain, applied
 * to the run that the request's {@link McpTransportContext} belongs to (or to the session's own
 * identity when the context is empty, as for the SDK's DELETE on close).
 *
 * <p>A transport reports a refused request by failing the operation with {@link
 * TransportHttpException} (401, 403, 404 on a session, other statuses): the runner then asks the
 * providers whether a retry may help, and retries once with freshly resolved headers. A request the
 * server accepted and whose response was then lost (for instance a resumption of its answer stream
 * refused with 401) is reported with {@link ResponseLostException} instead: never retried.
 *
 * <p>The shared Streamable HTTP client calls it itself, once per request, and hands the result to
 * the HTTP adapter ({@link io.github.mcprunner.core.spi.http.McpHttpRequest#headers()}): an adapter
 * over {@code StreamableHttpTransports} never calls it. It stays public, with the MCP SDK's {@link
 * McpTransportContext}, for legacy HTTP+SSE transports, which build their requests themselves from
 * the SDK's calls (the SDK hands each request customizer that context).
 *
 * <p>Thread-safe; called concurrently.
 */
public interface RequestHeaderSource {

  /**
   * Returns the headers to add to {@code request}: already validated, free of protected names. Must
   * be called for every HTTP request.
   *
   * @throws io.github.mcprunner.HeaderProviderException when a provider failed: the transport must
   *     not send the request and must fail the operation with this exception
   */
  McpHeaders headersFor(OutgoingRequest request, McpTransportContext context);
}
