/**
 * The multi-tenant demo: {@link io.github.mcprunner.examples.MultiTenantDemo} runs one agent with
 * one MCP server definition for several tenants and users, each run with its own headers, and shows
 * what the MCP server saw on every request. Not published; everything but the main class is
 * package-private.
 */
@NullMarked
package io.github.mcprunner.examples;

import org.jspecify.annotations.NullMarked;
