package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;

/**
 * Refuses protected header names ({@link McpHeaders#isProtected(String)}) where configured headers
 * enter a provider, so a bad configuration fails when it is loaded rather than on the first
 * request. Not public API.
 */
public final class ProtectedNames {
  private ProtectedNames() {}

  /**
   * Returns {@code headers} when no header it sets or removes is protected.
   *
   * @param layer where the headers come from, named in the error
   * @throws InvalidMcpHeaderException naming the first protected header and the layer, never a
   *     value
   */
  public static McpHeaders requireUnprotected(McpHeaders headers, String layer) {
    for (String name : headers.names()) {
      refuseIfProtected(name, layer);
    }
    for (String name : headers.removedNames()) {
      refuseIfProtected(name, layer);
    }
    return headers;
  }

  private static void refuseIfProtected(String name, String layer) {
    if (McpHeaders.isProtected(name)) {
      throw new InvalidMcpHeaderException(
          name, layer, "is a protocol header that only the transport may set");
    }
  }
}
