package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The authorization servers, by issuer identifier, that a provider may send its client's
 * credentials to when an MCP server (not the configuration) names the authorization server. Issuers
 * are compared in a normal form: scheme and host in lower case, the default port left out, trailing
 * slashes of the path removed. Immutable. Not public API.
 */
public final class TrustedIssuers {
  private static final TrustedIssuers ANY = new TrustedIssuers(Set.of(), true);

  private final Set<String> issuers;
  private final boolean any;

  private TrustedIssuers(Set<String> issuers, boolean any) {
    this.issuers = issuers;
    this.any = any;
  }

  /** Returns a set trusting every authorization server. */
  public static TrustedIssuers any() {
    return ANY;
  }

  /**
   * Returns a set trusting exactly {@code issuers}.
   *
   * @throws IllegalArgumentException if one is not an absolute URL without query and fragment, or
   *     the collection is empty
   */
  public static TrustedIssuers of(Collection<URI> issuers) {
    requireNonNull(issuers, "issuers");
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted authorization server must be given");
    }
    Set<String> normal = new LinkedHashSet<>();
    for (URI issuer : issuers) {
      requireNonNull(issuer, "issuer");
      if (!issuer.isAbsolute()
          || issuer.getHost() == null
          || issuer.getRawQuery() != null
          || issuer.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "a trusted authorization server must be an absolute URL without query and fragment");
      }
      normal.add(normalize(issuer.toString()));
    }
    return new TrustedIssuers(Set.copyOf(normal), false);
  }

  /** Returns whether every authorization server is trusted. */
  public boolean trustsAny() {
    return any;
  }

  /**
   * Returns whether {@code issuer} is trusted (null, an unknown issuer, is trusted only by any).
   */
  public boolean trusts(@Nullable String issuer) {
    if (any) {
      return true;
    }
    return issuer != null && issuers.contains(normalize(issuer));
  }

  /** Returns the issuer in the form issuers are compared in; the text itself when not a URL. */
  static String normalize(String issuer) {
    String text = issuer.trim();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return text;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return text;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
      port = -1;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (port == -1 ? "" : ":" + port)
        + path
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  @Override
  public String toString() {
    return any ? "any" : issuers.toString();
  }
}
