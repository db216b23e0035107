package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.modelcontextprotocol.common.McpTransportContext;

/**
 * What {@link HeaderInterceptor} needs to resolve one request's headers, carried as an OkHttp
 * request tag: the session's header source, the request as the chain sees it, and the MCP call's
 * context (which run it belongs to). Not public API.
 *
 * @param headers the session's header source
 * @param request the request, as header resolution sees it
 * @param context the MCP call's transport context, {@link McpTransportContext#EMPTY} for requests
 *     of the session itself
 */
public record RequestTag(
    RequestHeaderSource headers, OutgoingRequest request, McpTransportContext context) {}
