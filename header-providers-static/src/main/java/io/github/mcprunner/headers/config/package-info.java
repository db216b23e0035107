/**
 * Header providers configured outside code: {@link
 * io.github.mcprunner.headers.config.ConfiguredHeadersProvider} (fixed headers per MCP server from
 * a properties file, environment variables, system properties or a builder) and {@link
 * io.github.mcprunner.headers.config.TenantHeadersProvider} (headers looked up from the run's
 * tenant id). Both are found with {@link java.util.ServiceLoader} and stay inert until a setting
 * switches them on.
 */
@NullMarked
package io.github.mcprunner.headers.config;

import org.jspecify.annotations.NullMarked;
