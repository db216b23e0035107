package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Identifies an MCP server to a header provider: its configured name and its endpoint URI.
 *
 * <p>{@link #toString()} prints the URI as {@link #printable(URI)} does: the values of its query
 * are redacted, since a server URL may carry a credential there ({@code ?api_key=...}).
 *
 * @param name the server's name, unique within an agent (e.g. {@code "crm"})
 * @param uri the server's MCP endpoint (e.g. {@code https://crm.example.com/mcp})
 */
public record McpServerRef(String name, URI uri) {
  /** Creates a reference, checking neither part is null. */
  public McpServerRef {
    requireNonNull(name, "name");
    requireNonNull(uri, "uri");
  }

  /** Returns a reference to server {@code name} at {@code uri}. */
  public static McpServerRef of(String name, String uri) {
    return new McpServerRef(name, URI.create(requireNonNull(uri, "uri")));
  }

  /**
   * Returns {@code uri} as every message and log line of mcp-runner prints it: the value of every
   * query parameter replaced by {@value McpHeaders#REDACTED} (a parameter without {@code =} is
   * replaced whole), user info and fragment left out. {@code https://h/mcp?api_key=s3cr3t&v=2}
   * prints as {@code https://h/mcp?api_key=██&v=██}.
   */
  public static String printable(URI uri) {
    requireNonNull(uri, "uri");
    String query = uri.getRawQuery();
    if (uri.getRawUserInfo() == null && query == null && uri.getRawFragment() == null) {
      return uri.toString();
    }
    StringBuilder out = new StringBuilder();
    if (uri.getScheme() != null) {
      out.append(uri.getScheme()).append(':');
    }
    if (uri.getHost() != null) {
      out.append("//").append(uri.getHost());
      if (uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
    } else if (uri.getRawAuthority() != null && uri.getRawUserInfo() == null) {
      out.append("//").append(uri.getRawAuthority());
    } else if (uri.getRawAuthority() != null) {
      out.append("//");
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    } else if (uri.getRawSchemeSpecificPart() != null && uri.getHost() == null) {
      out.append(McpHeaders.REDACTED);
    }
    if (query != null) {
      out.append('?');
      String[] parameters = query.split("&", -1);
      for (int i = 0; i < parameters.length; i++) {
        if (i > 0) {
          out.append('&');
        }
        String parameter = parameters[i];
        int equals = parameter.indexOf('=');
        if (parameter.isEmpty()) {
          continue;
        }
        out.append(equals < 0 ? "" : parameter.substring(0, equals + 1))
            .append(McpHeaders.REDACTED);
      }
    }
    return out.toString();
  }

  /** Returns {@code McpServerRef[name=crm, uri=...]}, the URI {@linkplain #printable printable}. */
  @Override
  public String toString() {
    return "McpServerRef[name=" + name + ", uri=" + printable(uri) + "]";
  }
}
