/**
 * Spring Boot auto-configuration of mcp-runner: the {@code Runner}, its MCP servers and header
 * providers from {@code mcp-runner.*} properties, the current request's run options (Spring
 * Security bridge), a health indicator and Spring AI tool callbacks.
 */
@NullMarked
package io.github.mcprunner.spring;

import org.jspecify.annotations.NullMarked;
