/**
 * The transport SPI: how runner-core asks a transport module (JDK {@code HttpClient}, OkHttp) for
 * an MCP client transport that applies the resolved headers to every HTTP request. Transport
 * modules implement {@link io.github.mcprunner.core.spi.McpTransportFactory} and register it in
 * {@code META-INF/services}.
 */
@NullMarked
package io.github.mcprunner.core.spi;

import org.jspecify.annotations.NullMarked;
