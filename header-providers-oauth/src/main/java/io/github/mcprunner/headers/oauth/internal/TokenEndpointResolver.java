package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tokens are requested: a configured token endpoint, or one discovered once from the
 * authorization server's metadata (RFC 8414, then OpenID Connect discovery, in the order the MCP
 * authorization specification gives). A failed discovery is tried again on the next token request.
 * Not public API.
 */
public final class TokenEndpointResolver {
  private static final Logger log = LoggerFactory.getLogger(TokenEndpointResolver.class);

  private final @Nullable URI issuer;
  private final boolean allowInsecureHttp;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final Object discoveryLock = new Object();
  private volatile @Nullable URI endpoint;

  private TokenEndpointResolver(
      @Nullable URI endpoint,
      @Nullable URI issuer,
      boolean allowInsecureHttp,
      Duration connectTimeout,
      Duration readTimeout) {
    this.endpoint = endpoint;
    this.issuer = issuer;
    this.allowInsecureHttp = allowInsecureHttp;
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
  }

  /**
   * Returns a resolver of the fixed {@code tokenEndpoint}.
   *
   * @throws IllegalArgumentException if the endpoint is not absolute, or is plain HTTP to a host
   *     other than loopback while {@code allowInsecureHttp} is false
   */
  public static TokenEndpointResolver fixed(URI tokenEndpoint, boolean allowInsecureHttp) {
    requireSafe(tokenEndpoint, "token endpoint", allowInsecureHttp);
    return new TokenEndpointResolver(
        tokenEndpoint, null, allowInsecureHttp, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  /**
   * Returns a resolver that discovers the token endpoint from the metadata of {@code issuer} on
   * first use.
   *
   * @throws IllegalArgumentException as for {@link #fixed}, about the issuer
   */
  public static TokenEndpointResolver discovering(
      URI issuer, boolean allowInsecureHttp, Duration connectTimeout, Duration readTimeout) {
    requireSafe(issuer, "issuer", allowInsecureHttp);
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
      throw new IllegalArgumentException("issuer must have no query and no fragment");
    }
    return new TokenEndpointResolver(null, issuer, allowInsecureHttp, connectTimeout, readTimeout);
  }

  /** Returns the token endpoint, discovering it first if needed. */
  public URI tokenEndpoint() throws TokenFetchException {
    URI known = endpoint;
    if (known != null) {
      return known;
    }
    synchronized (discoveryLock) {
      known = endpoint;
      if (known == null) {
        known = discover(requireNonNull(issuer));
        endpoint = known;
      }
      return known;
    }
  }

  /** Returns the configured endpoint, or {@code "discovered from <issuer>"}, for messages. */
  public String describe() {
    return issuer == null ? RemoteText.url(endpoint) : "discovered from " + RemoteText.url(issuer);
  }

  private URI discover(URI issuerUri) throws TokenFetchException {
    Issuer expected = new Issuer(issuerUri.toString());
    for (URI candidate : metadataUrls(issuerUri)) {
      AuthorizationServerMetadata metadata = fetch(candidate, issuerUri);
      if (metadata == null) {
        continue;
      }
      if (!expected.equals(metadata.getIssuer())) {
        log.debug(
            "Metadata at {} names another issuer than {}; ignored",
            RemoteText.url(candidate),
            RemoteText.url(issuerUri));
        continue;
      }
      URI tokenEndpoint = metadata.getTokenEndpointURI();
      if (tokenEndpoint == null) {
        throw new TokenFetchException(
            "the metadata of issuer " + issuerUri + " names no token_endpoint");
      }
      try {
        requireSafe(tokenEndpoint, "token endpoint", allowInsecureHttp);
      } catch (IllegalArgumentException e) {
        throw new TokenFetchException(
            "the token endpoint discovered from issuer "
                + issuerUri
                + " is refused: "
                + e.getMessage());
      }
      log.debug(
          "Discovered token endpoint {} of issuer {} at {}",
          RemoteText.url(tokenEndpoint),
          RemoteText.url(issuerUri),
          RemoteText.url(candidate));
      return tokenEndpoint;
    }
    throw new TokenFetchException(
        "could not discover the token endpoint of issuer "
            + issuerUri
            + ": no metadata naming it at any well-known URL");
  }

  /** Returns the metadata at {@code url}, or null when there is none (not 200, not metadata). */
  private @Nullable AuthorizationServerMetadata fetch(URI url, URI issuerUri)
      throws TokenFetchException {
    MetadataDocuments.Answer answer;
    try {
      answer = MetadataDocuments.get(url, connectTimeoutMillis, readTimeoutMillis);
    } catch (ConnectException e) {
      throw new TokenFetchException(
          "could not connect to issuer " + issuerUri + " to discover its token endpoint",
          null,
          0,
          e);
    } catch (IOException e) {
      throw new TokenFetchException(
          "could not read the metadata of issuer "
              + issuerUri
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          0,
          e);
    }
    if (answer.json() == null) {
      log.debug(
          "No authorization server metadata at {} (HTTP {})", RemoteText.url(url), answer.status());
      return null;
    }
    try {
      return AuthorizationServerMetadata.parse(answer.json());
    } catch (ParseException | RuntimeException e) {
      log.debug("No valid authorization server metadata at {}", RemoteText.url(url));
      return null;
    }
  }

  /**
   * Returns the metadata URLs to try for {@code issuer}, in the MCP authorization specification's
   * order: RFC 8414 with the path inserted, OpenID Connect with the path inserted, OpenID Connect
   * with the path appended; then RFC 8414 with the path appended, which some servers use.
   */
  public static List<URI> metadataUrls(URI issuer) {
    String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
    String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<URI> urls = new ArrayList<>();
    String oauth = "/.well-known/oauth-authorization-server";
    String oidc = "/.well-known/openid-configuration";
    if (path.isEmpty()) {
      urls.add(URI.create(origin + oauth));
      urls.add(URI.create(origin + oidc));
    } else {
      urls.add(URI.create(origin + oauth + path));
      urls.add(URI.create(origin + oidc + path));
      urls.add(URI.create(origin + path + oidc));
      urls.add(URI.create(origin + path + oauth));
    }
    return urls;
  }

  /**
   * Checks {@code uri} is an absolute {@code https} URL, or plain {@code http} to a loopback host,
   * or any {@code http} when {@code allowInsecureHttp}.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static void requireSafe(URI uri, String what, boolean allowInsecureHttp) {
    requireSafe(uri, what, allowInsecureHttp, true);
  }

  /**
   * Like {@link #requireSafe(URI, String, boolean)}, with plain {@code http} to loopback hosts
   * allowed only when {@code allowLoopbackHttp}.
   */
  public static void requireSafe(
      URI uri, String what, boolean allowInsecureHttp, boolean allowLoopbackHttp) {
    requireNonNull(uri, what);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an absolute https URL");
    }
    if (scheme.equals("https")) {
      return;
    }
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(what + " must be an https URL");
    }
    if (!allowInsecureHttp && !(allowLoopbackHttp && isLoopback(uri.getHost()))) {
      throw new IllegalArgumentException(
          what
              + (allowLoopbackHttp
                  ? " must use https (plain http is accepted for loopback hosts, or with"
                      + " allowInsecureHttp)"
                  : " must use https (plain http is accepted only with allowInsecureHttp)"));
    }
  }

  /**
   * Returns whether {@code host} is a loopback host by its text alone, with no name lookup: {@code
   * localhost} (any case), a literal dotted-quad IPv4 address whose first octet is 127 (four
   * decimal octets of 0 to 255 without leading zeros), or {@code ::1} (bracketed or not). A name
   * merely starting with {@code 127.}, such as {@code 127.evil.example}, is not.
   */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || isLoopbackIpv4(h);
  }

  private static boolean isLoopbackIpv4(String host) {
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < octet.length(); i++) {
        char c = octet.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return describe();
  }
}
