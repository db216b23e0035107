package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;

/**
 * The canonical URI of an MCP server, used as the default {@code audience} and RFC 8707 {@code
 * resource} of its tokens. Following the MCP authorization specification: scheme and host in lower
 * case, the port only when it is not the scheme's default, the path without trailing slashes, the
 * query kept, no user info and no fragment. Not public API.
 */
public final class CanonicalUri {

  private CanonicalUri() {}

  /**
   * Returns the canonical form of {@code uri}.
   *
   * @throws IllegalArgumentException if {@code uri} is not absolute or has no host
   */
  public static String of(URI uri) {
    requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.isOpaque()) {
      throw new IllegalArgumentException(
          "server URI must be absolute with a host, like https://mcp.example.com/mcp");
    }
    String lowerScheme = scheme.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lowerScheme).append("://");
    out.append(host.toLowerCase(Locale.ROOT));
    int port = uri.getPort();
    if (port != -1 && port != defaultPort(lowerScheme)) {
      out.append(':').append(port);
    }
    String path = uri.getRawPath();
    if (path != null) {
      int end = path.length();
      while (end > 0 && path.charAt(end - 1) == '/') {
        end--;
      }
      out.append(path, 0, end);
    }
    String query = uri.getRawQuery();
    if (query != null) {
      out.append('?').append(query);
    }
    return out.toString();
  }

  private static int defaultPort(String scheme) {
    switch (scheme) {
      case "http":
        return 80;
      case "https":
        return 443;
      default:
        return -1;
    }
  }
}
