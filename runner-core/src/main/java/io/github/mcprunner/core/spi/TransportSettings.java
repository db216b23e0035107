package io.github.mcprunner.core.spi;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.TransportKind;
import io.github.mcprunner.headers.McpServerRef;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.time.Duration;

/**
 * What a transport needs to talk to one MCP server for one session.
 *
 * @param server the server's name and endpoint URI
 * @param kind Streamable HTTP or legacy SSE
 * @param connectTimeout the TCP connect timeout
 * @param requestTimeout the timeout of one request
 * @param headers the source of every request's headers; see {@link RequestHeaderSource}
 * @param jsonMapper the JSON mapper of the MCP client
 */
public record TransportSettings(
    McpServerRef server,
    TransportKind kind,
    Duration connectTimeout,
    Duration requestTimeout,
    RequestHeaderSource headers,
    McpJsonMapper jsonMapper) {
  /** Checks no part is null. */
  public TransportSettings {
    requireNonNull(server, "server");
    requireNonNull(kind, "kind");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(requestTimeout, "requestTimeout");
    requireNonNull(headers, "headers");
    requireNonNull(jsonMapper, "jsonMapper");
  }
}
