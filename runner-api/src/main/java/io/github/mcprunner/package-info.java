/**
 * Running agents whose tools live on MCP servers: {@link io.github.mcprunner.Agent}, {@link
 * io.github.mcprunner.Runner}, {@link io.github.mcprunner.RunOptions} and the run's results and
 * events. Header types live in {@link io.github.mcprunner.headers}, the model SPI in {@link
 * io.github.mcprunner.model}.
 */
@NullMarked
package io.github.mcprunner;

import org.jspecify.annotations.NullMarked;
