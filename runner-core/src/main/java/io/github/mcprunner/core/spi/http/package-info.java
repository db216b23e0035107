/**
 * The Streamable HTTP client of mcp-runner, for transport modules: the MCP protocol over HTTP
 * (session id, protocol-version header, SSE answers with {@code id} and {@code retry}, resumption
 * of a broken answer stream with {@code Last-Event-ID}, the standalone GET event stream, status
 * mapping, DELETE on close) written once, over a small blocking HTTP adapter ({@link
 * io.github.mcprunner.core.spi.http.McpHttpClient}) that each transport module implements on its
 * HTTP client. {@link io.github.mcprunner.core.spi.http.StreamableHttpTransports#create} returns
 * the MCP SDK transport.
 */
@NullMarked
package io.github.mcprunner.core.spi.http;

import org.jspecify.annotations.NullMarked;
