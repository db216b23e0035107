package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to an MCP server whose headers are to be resolved by a {@link HeaderChain}.
 *
 * @param server the MCP server the request goes to
 * @param serverHeaders the server's static headers (layer 2)
 * @param run the run the request serves ({@link RunScope#neutral(String)} for none)
 * @param mcpMethod the JSON-RPC method, if known ({@code null} for the GET stream and DELETE)
 * @param toolName the tool of a {@code tools/call}, if known
 */
public record HeaderRequest(
    McpServerRef server,
    McpHeaders serverHeaders,
    RunScope run,
    @Nullable String mcpMethod,
    @Nullable String toolName) {

  /** Checks that the required parts are not null. */
  public HeaderRequest {
    requireNonNull(server, "server");
    requireNonNull(serverHeaders, "serverHeaders");
    requireNonNull(run, "run");
  }
}
