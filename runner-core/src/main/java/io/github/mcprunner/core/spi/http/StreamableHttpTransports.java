package io.github.mcprunner.core.spi.http;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.core.internal.http.StreamableHttpClientTransport;
import io.github.mcprunner.core.spi.TransportSettings;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.concurrent.Executor;

/**
 * Creates the MCP Streamable HTTP client transport over a transport module's {@link McpHttpClient}.
 *
 * <p>What the transport does, whatever the HTTP client: every message is a POST answered with JSON,
 * an SSE stream or 202; the server's {@code Mcp-Session-Id} and the negotiated {@code
 * MCP-Protocol-Version} go on every later request; after {@code notifications/initialized} a GET
 * event stream carries server-initiated messages. SSE streams are read with their {@code id} and
 * {@code retry} fields (an event with empty data, such as a priming event, carries no message).
 * When a POST's answer stream ends, cleanly or broken, before the response to its request, the
 * transport waits the server's {@code retry} (1 s when none was given) and resumes with a GET
 * carrying {@code Last-Event-ID}, delivering what that stream carries. A request whose response is
 * lost after the server accepted it (3 resumptions in a row without a message, no event id to
 * resume from, a resumption refused with any status, an answer that cannot be read) fails with a
 * {@link io.github.mcprunner.core.spi.ResponseLostException}, which the runner never retries. The
 * standalone GET stream is re-opened the same way, after the server's {@code retry} when it gave
 * one. Other error statuses become {@link io.github.mcprunner.core.spi.TransportHttpException}
 * (401/403 with {@code WWW-Authenticate}; a 404 on a session an {@code
 * McpTransportSessionNotFoundException}); {@code closeGracefully()} sends DELETE. Waiting is
 * scheduled, never slept: no thread is held between attempts.
 */
public final class StreamableHttpTransports {
  private StreamableHttpTransports() {}

  /**
   * How many resumptions of one answer stream in a row may bring no message before the request
   * fails with a {@link io.github.mcprunner.core.spi.ResponseLostException}.
   */
  public static final int MAX_RESUMPTIONS = 3;

  /**
   * Returns a new, unconnected transport for one MCP session.
   *
   * @param settings the session's settings (server, timeouts, header source, JSON mapper)
   * @param client the HTTP client, which resolves and applies the headers of each request
   * @param executor runs the blocking HTTP calls, one task per request in flight and per open event
   *     stream: it must not queue tasks behind long-lived ones (a cached thread pool fits)
   */
  public static McpClientTransport create(
      TransportSettings settings, McpHttpClient client, Executor executor) {
    requireNonNull(settings, "settings");
    requireNonNull(client, "client");
    requireNonNull(executor, "executor");
    return new StreamableHttpClientTransport(settings, client, executor);
  }
}
