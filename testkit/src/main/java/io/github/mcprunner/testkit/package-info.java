/**
 * Test support for mcp-runner and its transports: {@link
 * io.github.mcprunner.testkit.EmbeddedMcpServer}, the MCP Java SDK's own server on embedded Jetty
 * that records every HTTP request it receives, and {@link
 * io.github.mcprunner.testkit.ScriptedModel}, a stateless scripted {@link
 * io.github.mcprunner.model.Model}. Add this module in test scope only.
 *
 * <p>The public types are {@code EmbeddedMcpServer}, {@code RecordedRequest}, {@code ToolHandler},
 * {@code ToolRequest} and {@code ScriptedModel}; every other class of this package is
 * package-private and not public API.
 */
@NullMarked
package io.github.mcprunner.testkit;

import org.jspecify.annotations.NullMarked;
