package io.github.mcprunner;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;

/** Refuses protected header names where a layer of the chain enters the API. */
final class ProtectedHeaders {
  private ProtectedHeaders() {}

  /**
   * Returns {@code headers} when no header it sets or removes is protected ({@link
   * McpHeaders#isProtected(String)}).
   *
   * @throws InvalidMcpHeaderException naming the first protected header and {@code layer}, never a
   *     value
   */
  static McpHeaders require(McpHeaders headers, String layer) {
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
