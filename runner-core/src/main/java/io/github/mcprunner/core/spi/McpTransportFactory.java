package io.github.mcprunner.core.spi;

import io.modelcontextprotocol.spec.McpClientTransport;

/**
 * Creates MCP client transports for one transport implementation. Found with {@link
 * java.util.ServiceLoader} (or handed to {@code Runners.builder().transport(...)}).
 *
 * <p>Which factory serves a server: the one {@code McpServerSpec.transport()} names; else the only
 * one available; else the one with the highest {@link #order()}, ties broken by name, logged once.
 * {@code transport-httpclient} has order 100 and {@code transport-okhttp} 50, so the JDK transport
 * is the documented default when both are on the class path.
 *
 * <p>The transport the factory creates must call {@link TransportSettings#headers()} for
 * <em>every</em> HTTP request it sends (POST, the GET event stream, DELETE) and apply the result
 * after its own protocol headers, never replacing or duplicating them; when that call throws, the
 * request must not be sent and the operation must fail with that exception.
 *
 * <p>Why an MCP SDK type ({@code McpClientTransport}) stays in this SPI: the runner's sessions are
 * the SDK's {@code McpAsyncClient}, which speaks to a server through exactly that interface, and
 * the legacy HTTP+SSE transports are the SDK's own (or written to its contract). A Streamable HTTP
 * transport need not touch it: {@link io.github.mcprunner.core.spi.http.StreamableHttpTransports}
 * builds it over a small HTTP adapter free of SDK types.
 *
 * <p>A factory may hold what its sessions share (an HTTP client, its connections, threads): {@link
 * #close()} releases it. The runner closes the factories it discovered with {@link
 * java.util.ServiceLoader} when it closes, after its sessions; a factory given to {@code
 * RunnerBuilder.transport(...)} stays its caller's to close.
 */
public interface McpTransportFactory extends AutoCloseable {

  /** Returns the name users choose the transport by, e.g. {@code "httpclient"}. */
  String name();

  /**
   * Returns the order of this factory among several on the class path: the highest serves a server
   * that names none. The same word, and the same direction, as {@code McpHeaderProvider.order()}:
   * there a higher order applies later and so wins.
   */
  default int order() {
    return 0;
  }

  /**
   * Returns a new, unconnected transport for one MCP session with the server in {@code settings}.
   */
  McpClientTransport create(TransportSettings settings);

  /**
   * Releases what this factory holds for its sessions: idle connections, its own threads, the HTTP
   * client it built (a client its user supplied is left open). Called once every session it created
   * is closed; it creates no session afterwards. The default does nothing.
   */
  @Override
  default void close() {}
}
