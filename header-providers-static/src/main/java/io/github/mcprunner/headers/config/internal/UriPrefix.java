package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A URI prefix that selects MCP servers by endpoint: same scheme, host and port (compared the way
 * HTTP does: case-insensitive, default port implied), and a path that equals the prefix's path or
 * lies below it segment-wise. So {@code https://crm.example.com/api} matches {@code
 * https://crm.example.com/api/mcp} but neither {@code https://crm.example.com/api2} nor {@code
 * https://crm.example.com.evil.test/api}.
 *
 * <p>Both paths are normalised before they are compared (RFC 3986 section 6.2.2): percent-encoded
 * unreserved characters are decoded (so {@code %2E} is a dot), dot segments are removed (so {@code
 * /api/../admin} is {@code /admin} and does not lie under {@code /api}), and a trailing slash does
 * not count ({@code /mcp/} and {@code /mcp} are alike). IPv6 literals are compared in canonical
 * form ({@code [::1]} is {@code [0:0:0:0:0:0:0:1]}). Not public API.
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
        canonicalHost(uri.getHost()),
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
        || !canonicalHost(uri.getHost()).equals(host)
        || effectivePort(otherScheme, uri.getPort()) != port) {
      return false;
    }
    String otherPath = pathOf(uri);
    if (path.equals("/") || otherPath.equals(path)) {
      return true;
    }
    return otherPath.startsWith(path) && otherPath.charAt(path.length()) == '/';
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

  /** Returns the host in lower case; an IPv6 literal in canonical form. */
  private static String canonicalHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      try {
        // A literal: parsed, never looked up.
        return "["
            + InetAddress.getByName(lower.substring(1, lower.length() - 1)).getHostAddress()
            + "]";
      } catch (UnknownHostException | IllegalArgumentException e) {
        return lower;
      }
    }
    return lower;
  }

  /**
   * Returns the normalised path: unreserved characters decoded, other escapes in upper case, dot
   * segments removed, no trailing slash (but {@code "/"} for an empty path).
   */
  static String pathOf(URI uri) {
    String rawPath = uri.getRawPath();
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String decoded = decodeUnreserved(rawPath);
    String normalized = removeDotSegments(decoded);
    while (normalized.length() > 1 && normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized.isEmpty() ? "/" : normalized;
  }

  private static String decodeUnreserved(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%'
          && i + 2 < raw.length()
          && hex(raw.charAt(i + 1)) >= 0
          && hex(raw.charAt(i + 2)) >= 0) {
        char decoded = (char) (hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
        if (isUnreserved(decoded)) {
          out.append(decoded);
        } else {
          out.append('%')
              .append(Character.toUpperCase(raw.charAt(i + 1)))
              .append(Character.toUpperCase(raw.charAt(i + 2)));
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /** RFC 3986 section 5.2.4, on an absolute path; ".." above the root stays at the root. */
  private static String removeDotSegments(String path) {
    String[] segments = path.split("/", -1);
    Deque<String> out = new ArrayDeque<>();
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals(".")) {
        if (last) {
          out.addLast("");
        }
      } else if (segment.equals("..")) {
        out.pollLast();
        if (last) {
          out.addLast("");
        }
      } else {
        out.addLast(segment);
      }
    }
    return "/" + String.join("/", out);
  }
}
