package io.github.mcprunner.headers.oauth.internal;

import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * The MCP servers a provider applies to: given by name ({@code crm}) or by URI (compared in
 * canonical form); none given means every server. Immutable. Not public API.
 */
public final class ServerSelection {
  private final Set<String> names;
  private final Set<String> uris;

  /**
   * Returns the selection of {@code servers}, each a server name or an absolute URI.
   *
   * @throws IllegalArgumentException if a URI has no host
   */
  public ServerSelection(Set<String> servers) {
    Set<String> names = new HashSet<>();
    Set<String> uris = new HashSet<>();
    for (String server : servers) {
      if (server.contains("://")) {
        uris.add(CanonicalUri.of(URI.create(server.trim())));
      } else {
        names.add(server.trim());
      }
    }
    this.names = Set.copyOf(names);
    this.uris = Set.copyOf(uris);
  }

  /** Returns whether {@code server} is selected. */
  public boolean contains(McpServerRef server) {
    if (names.isEmpty() && uris.isEmpty()) {
      return true;
    }
    if (names.contains(server.name())) {
      return true;
    }
    if (uris.isEmpty()) {
      return false;
    }
    try {
      return uris.contains(CanonicalUri.of(server.uri()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
