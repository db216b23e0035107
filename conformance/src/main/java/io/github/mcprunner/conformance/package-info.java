/**
 * The client that the official MCP conformance suite ({@code @modelcontextprotocol/conformance})
 * drives: {@link io.github.mcprunner.conformance.ConformanceClient} runs one scenario through the
 * runner, a transport and the header providers a real service would configure. Not published.
 */
@NullMarked
package io.github.mcprunner.conformance;

import org.jspecify.annotations.NullMarked;
