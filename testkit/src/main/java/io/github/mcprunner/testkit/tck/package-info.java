/**
 * The transport contract suite (TCK): {@link
 * io.github.mcprunner.testkit.tck.McpTransportContractTest}, which every MCP transport module
 * extends with its own {@code McpTransportFactory} and must pass, against the embedded MCP server
 * in its three modes. The other classes of this package are package-private helpers (loopback
 * servers that redirect, stay silent, never accept, or drop every connection) and not public API.
 */
@NullMarked
package io.github.mcprunner.testkit.tck;

import org.jspecify.annotations.NullMarked;
