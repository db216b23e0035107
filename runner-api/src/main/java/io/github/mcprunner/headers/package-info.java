/**
 * MCP request headers: the immutable {@link io.github.mcprunner.headers.McpHeaders} layer type, the
 * {@link io.github.mcprunner.headers.McpHeaderProvider} SPI and the {@link
 * io.github.mcprunner.headers.HeaderContext} providers read.
 */
@NullMarked
package io.github.mcprunner.headers;

import org.jspecify.annotations.NullMarked;
