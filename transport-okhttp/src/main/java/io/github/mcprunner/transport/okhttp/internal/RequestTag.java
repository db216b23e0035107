package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.headers.McpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * What {@link HeaderInterceptor} applies to one request, carried as an OkHttp request tag: the
 * request's resolved headers, final, and its MCP method (for the log line). Not public API.
 *
 * @param headers the resolved headers: no removal, no protected name, validated
 * @param mcpMethod the JSON-RPC method of a POST, if known
 */
public record RequestTag(McpHeaders headers, @Nullable String mcpMethod) {}
