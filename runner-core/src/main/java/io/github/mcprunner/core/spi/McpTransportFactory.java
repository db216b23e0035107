package io.github.mcprunner.core.spi;

import io.modelcontextprotocol.spec.McpClientTransport;

/**
 * Creates MCP client transports for one transport implementation. Found with {@link
 * java.util.ServiceLoader} (or handed to {@code Runners.builder().transport(...)}).
 *
 * <p>Which factory serves a server: the one {@code McpServerSpec.transport()} names; else the only
 * one available; else the one with the highest {@link #priority()}, ties broken by name, logged
 * once. {@code transport-httpclient} has priority 100 and {@code transport-okhttp} 50, so the JDK
 * transport is the documented default when both are on the class path.
 *
 * <p>The transport the factory creates must call {@link TransportSettings#headers()} for
 * <em>every</em> HTTP request it sends (POST, the GET event stream, DELETE) and apply the result
 * after its own protocol headers, never replacing or duplicating them; when that call throws, the
 * request must not be sent and the operation must fail with that exception.
 */
public interface McpTransportFactory {

  /** Returns the name users choose the transport by, e.g. {@code "httpclient"}. */
  String name();

  /** Returns the preference among several factories on the class path; higher wins. */
  default int priority() {
    return 0;
  }

  /** Returns a new, unconnected transport for one MCP session with the server in {@code settings}. */
  McpClientTransport create(TransportSettings settings);
}
