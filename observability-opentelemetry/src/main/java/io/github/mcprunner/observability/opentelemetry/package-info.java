/**
 * mcp-runner's run observation SPI on OpenTelemetry: {@link
 * io.github.mcprunner.observability.opentelemetry.OpenTelemetryObserver} records spans and metrics
 * by the MCP and GenAI semantic conventions and propagates the W3C trace context into every MCP
 * request's {@code params._meta} and HTTP headers.
 */
@NullMarked
package io.github.mcprunner.observability.opentelemetry;

import org.jspecify.annotations.NullMarked;
