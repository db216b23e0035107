package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A URI prefix that selects MCP servers by endpoint: same scheme, host and port (compared the way
 * HTTP does: case-insensitive, default port implied), and a path that equals the prefix's path or
 * lies below it segment-wise. So {@code https://crm.example.com/api} matches {@code
 * https://crm.example.com/api/mcp} but neither {@code https://crm.example.com/api2} nor {@code
 * https://crm.example.com.evil.test/api}. Not public API.
 */
public final class UriPrefix {
  private final String text;
  private final String scheme;
  private final String host;
  private final int port;
  private final String path;

  private UriPrefix(String text, String scheme, String host, int port, String path) {
    this.text = text;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
  }

  /**
   * Parses a prefix: an absolute {@code http} or {@code https} URI with a host, and without user
   * info, query or fragment.
   *
   * @param where names the prefix in errors
   * @throws HeaderConfigException naming {@code where} if the prefix is not such a URI
   */
  public static UriPrefix parse(String text, String where) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new HeaderConfigException(where + ": the URI prefix is not a valid URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new HeaderConfigException(
          where + ": the URI prefix must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new HeaderConfigException(where + ": the URI prefix has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new HeaderConfigException(where + ": the URI prefix must not hold user info");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new HeaderConfigException(
          where + ": the URI prefix must not hold a query or a fragment");
    }
    return new UriPrefix(
        text.strip(),
        scheme,
        uri.getHost().toLowerCase(Locale.ROOT),
        effectivePort(scheme, uri.getPort()),
        pathOf(uri));
  }

  /** Returns whether {@code uri} lies under this prefix. */
  public boolean matches(URI uri) {
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
      return false;
    }
    String otherScheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!otherScheme.equals(scheme)
        || !uri.getHost().equalsIgnoreCase(host)
        || effectivePort(otherScheme, uri.getPort()) != port) {
      return false;
    }
    String otherPath = pathOf(uri);
    if (!otherPath.startsWith(path)) {
      return false;
    }
    return path.endsWith("/")
        || otherPath.length() == path.length()
        || otherPath.charAt(path.length()) == '/';
  }

  /** Returns how specific the prefix is: a longer path is more specific. */
  public int specificity() {
    return path.length();
  }

  /** Returns the prefix in normalised form, for comparing prefixes. */
  public String normalized() {
    return scheme + "://" + host + ":" + port + path;
  }

  /** Returns the prefix as configured. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof UriPrefix && ((UriPrefix) o).normalized().equals(normalized());
  }

  @Override
  public int hashCode() {
    return normalized().hashCode();
  }

  private static int effectivePort(String scheme, int port) {
    if (port >= 0) {
      return port;
    }
    return scheme.equals("https") ? 443 : 80;
  }

  private static String pathOf(URI uri) {
    String rawPath = uri.getRawPath();
    return rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
  }
}
