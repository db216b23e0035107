package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.github.mcprunner.headers.McpServerRef;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the authorization server of an MCP server the way the MCP authorization specification
 * (2025-11-25) says: the protected resource metadata (RFC 9728) from the challenge's {@code
 * resource_metadata}, else from the well-known URIs (path inserted, then root); its {@code
 * resource} must be the MCP server (or a path prefix of it); its first {@code
 * authorization_servers} entry is the authorization server, whose metadata (RFC 8414, then OpenID
 * Connect discovery) must name it as {@code issuer}. Without any protected resource metadata it
 * falls back to the 2025-03-26 rules: the MCP server's origin is the authorization server, with
 * metadata at its root or the default endpoints {@code /authorize}, {@code /token}, {@code
 * /register}. Only {@code https} URLs are followed (plain {@code http} to loopback hosts when
 * allowed), never a redirect. Not public API.
 */
public final class AuthorizationDiscovery {
  private static final Logger log = LoggerFactory.getLogger(AuthorizationDiscovery.class);
  private static final String PRM_WELL_KNOWN = "/.well-known/oauth-protected-resource";

  /**
   * An authorization server as discovered.
   *
   * @param issuer its issuer identifier, or null when no metadata was found (2025-03-26 defaults)
   * @param authorizationEndpoint where users authorize, or null when not advertised
   * @param tokenEndpoint where tokens are requested
   * @param registrationEndpoint where clients register dynamically (RFC 7591), or null
   * @param clientIdMetadataDocumentSupported whether it accepts a URL as client id
   * @param scopesSupported its {@code scopes_supported}, empty when not advertised
   * @param tokenEndpointAuthMethods its {@code token_endpoint_auth_methods_supported}, empty when
   *     not advertised
   * @param codeChallengeMethods its {@code code_challenge_methods_supported}, empty when not
   *     advertised
   */
  public record AuthorizationServer(
      @Nullable String issuer,
      @Nullable URI authorizationEndpoint,
      URI tokenEndpoint,
      @Nullable URI registrationEndpoint,
      boolean clientIdMetadataDocumentSupported,
      List<String> scopesSupported,
      List<String> tokenEndpointAuthMethods,
      List<String> codeChallengeMethods) {
    /** Copies the lists. */
    public AuthorizationServer {
      requireNonNull(tokenEndpoint, "tokenEndpoint");
      scopesSupported = List.copyOf(scopesSupported);
      tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
      codeChallengeMethods = List.copyOf(codeChallengeMethods);
    }

    /**
     * Returns a key naming this server for per-server state (registrations): issuer or token URL.
     */
    public String key() {
      return issuer != null ? issuer : tokenEndpoint.toString();
    }

    /** Returns {@link #key()} made safe for messages and logs ({@link RemoteText}). */
    public String describe() {
      return RemoteText.url(key());
    }
  }

  /**
   * What was discovered for one MCP server.
   *
   * @param resource the MCP server's canonical URI: the RFC 8707 {@code resource} of its tokens
   * @param resourceScopes the protected resource metadata's {@code scopes_supported}, or null when
   *     it lists none
   * @param server the authorization server
   * @param legacy whether there was no protected resource metadata (2025-03-26 rules)
   */
  public record Discovery(
      String resource,
      @Nullable List<String> resourceScopes,
      AuthorizationServer server,
      boolean legacy) {
    /** Checks and copies. */
    public Discovery {
      requireNonNull(resource, "resource");
      requireNonNull(server, "server");
      resourceScopes = resourceScopes == null ? null : List.copyOf(resourceScopes);
    }
  }

  private final boolean allowInsecureHttp;
  private final boolean allowLoopbackHttp;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;

  /** Creates a discovery with these URL rules and timeouts per document. */
  public AuthorizationDiscovery(
      boolean allowInsecureHttp,
      boolean allowLoopbackHttp,
      Duration connectTimeout,
      Duration readTimeout) {
    this.allowInsecureHttp = allowInsecureHttp;
    this.allowLoopbackHttp = allowLoopbackHttp;
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
  }

  /**
   * Discovers the authorization server of {@code server}.
   *
   * @param resourceMetadataUrl the challenge's {@code resource_metadata}, or null
   * @throws TokenFetchException if the metadata is missing, unreachable, refused (a {@code
   *     resource} other than the server, a URL that is not allowed) or incomplete
   */
  public Discovery discover(McpServerRef server, @Nullable String resourceMetadataUrl)
      throws TokenFetchException {
    URI serverUri = server.uri();
    String canonical;
    try {
      checkSafe(serverUri, "the MCP server URL");
      canonical = CanonicalUri.of(serverUri);
    } catch (IllegalArgumentException e) {
      throw new TokenFetchException(refusal(e));
    }
    JSONObject prm = null;
    URI prmUrl = null;
    if (resourceMetadataUrl != null) {
      prmUrl = parseUrl(resourceMetadataUrl, "the resource_metadata URL of the challenge");
      MetadataDocuments.Answer answer = fetch(prmUrl, "protected resource metadata");
      if (answer.json() == null) {
        throw new TokenFetchException(
            "no protected resource metadata at the challenge's resource_metadata URL "
                + RemoteText.url(prmUrl)
                + " (HTTP "
                + answer.status()
                + ")");
      }
      prm = answer.json();
    } else {
      for (URI candidate : wellKnownResourceMetadataUrls(serverUri)) {
        MetadataDocuments.Answer answer = fetch(candidate, "protected resource metadata");
        if (answer.json() != null) {
          prm = answer.json();
          prmUrl = candidate;
          break;
        }
        log.debug(
            "No protected resource metadata at {} (HTTP {})",
            RemoteText.url(candidate),
            answer.status());
      }
    }
    if (prm == null) {
      return legacy(serverUri, canonical);
    }
    String resource = string(prm, "resource");
    if (resource == null) {
      throw new TokenFetchException(
          "the protected resource metadata at " + RemoteText.url(prmUrl) + " names no resource");
    }
    if (!resourceMatches(resource, canonical)) {
      throw new TokenFetchException(
          "the protected resource metadata at "
              + RemoteText.url(prmUrl)
              + " is for resource "
              + RemoteText.url(resource)
              + ", not for this server ("
              + RemoteText.url(canonical)
              + "); refusing to authorize");
    }
    List<String> servers = strings(prm, "authorization_servers");
    if (servers == null || servers.isEmpty()) {
      throw new TokenFetchException(
          "the protected resource metadata at "
              + RemoteText.url(prmUrl)
              + " names no authorization server");
    }
    URI issuer = parseUrl(servers.get(0), "the authorization server named by the metadata");
    AuthorizationServer as = authorizationServer(issuer);
    log.debug(
        "Server '{}' is protected by authorization server {} (metadata {})",
        server.name(),
        RemoteText.url(issuer),
        RemoteText.url(prmUrl));
    return new Discovery(canonical, strings(prm, "scopes_supported"), as, false);
  }

  /**
   * Returns whether the metadata's {@code resource} identifies the MCP server: equal to it in
   * canonical form, or a prefix of it ending at a path segment boundary.
   */
  static boolean resourceMatches(String resource, String canonicalServer) {
    String expected;
    try {
      expected = CanonicalUri.of(URI.create(resource.trim()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (expected.equals(canonicalServer)) {
      return true;
    }
    if (expected.contains("?")) {
      return false;
    }
    String server = canonicalServer;
    int query = server.indexOf('?');
    if (query >= 0) {
      server = server.substring(0, query);
    }
    return server.equals(expected) || server.startsWith(expected + "/");
  }

  /**
   * Returns the origin ({@code scheme://authority}) of {@code server}: the authorization server of
   * the 2025-03-26 rules.
   */
  public static String origin(URI server) {
    return server.getScheme() + "://" + server.getRawAuthority();
  }

  /** The RFC 9728 well-known URLs of {@code server}: path inserted (when it has a path), root. */
  static List<URI> wellKnownResourceMetadataUrls(URI server) {
    String origin = server.getScheme() + "://" + server.getRawAuthority();
    String path = server.getRawPath() == null ? "" : server.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<URI> urls = new ArrayList<>();
    if (!path.isEmpty()) {
      urls.add(URI.create(origin + PRM_WELL_KNOWN + path));
    }
    urls.add(URI.create(origin + PRM_WELL_KNOWN));
    return urls;
  }

  private AuthorizationServer authorizationServer(URI issuer) throws TokenFetchException {
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
      throw new TokenFetchException(
          "the authorization server identifier "
              + RemoteText.url(issuer)
              + " has a query or fragment");
    }
    for (URI candidate : TokenEndpointResolver.metadataUrls(issuer)) {
      MetadataDocuments.Answer answer = fetch(candidate, "authorization server metadata");
      if (answer.json() == null) {
        log.debug(
            "No authorization server metadata at {} (HTTP {})",
            RemoteText.url(candidate),
            answer.status());
        continue;
      }
      AuthorizationServerMetadata metadata = parseMetadata(answer.json(), candidate);
      String named = metadata.getIssuer() == null ? null : metadata.getIssuer().getValue();
      if (named == null || !stripSlash(named).equals(stripSlash(issuer.toString()))) {
        throw new TokenFetchException(
            "the authorization server metadata at "
                + RemoteText.url(candidate)
                + " names issuer "
                + RemoteText.url(named)
                + ", not "
                + RemoteText.url(issuer));
      }
      return fromMetadata(named, metadata, answer.json());
    }
    throw new TokenFetchException(
        "could not discover the authorization server "
            + RemoteText.url(issuer)
            + ": no metadata at any well-known URL");
  }

  private Discovery legacy(URI serverUri, String canonical) throws TokenFetchException {
    String origin = serverUri.getScheme() + "://" + serverUri.getRawAuthority();
    URI metadataUrl = URI.create(origin + "/.well-known/oauth-authorization-server");
    MetadataDocuments.Answer answer = fetch(metadataUrl, "authorization server metadata");
    AuthorizationServer as;
    if (answer.json() != null) {
      // 2025-03-26: the metadata sits at the MCP server's origin; its issuer is not compared.
      AuthorizationServerMetadata metadata = parseMetadata(answer.json(), metadataUrl);
      String issuer = metadata.getIssuer() == null ? null : metadata.getIssuer().getValue();
      as = fromMetadata(issuer, metadata, answer.json());
    } else {
      as =
          new AuthorizationServer(
              null,
              URI.create(origin + "/authorize"),
              URI.create(origin + "/token"),
              URI.create(origin + "/register"),
              false,
              List.of(),
              List.of(),
              List.of());
    }
    log.debug(
        "No protected resource metadata for {}; using the 2025-03-26 rules ({})",
        RemoteText.url(canonical),
        answer.json() != null ? "metadata at the origin" : "default endpoints");
    return new Discovery(canonical, null, as, true);
  }

  private AuthorizationServer fromMetadata(
      @Nullable String issuer, AuthorizationServerMetadata metadata, JSONObject json)
      throws TokenFetchException {
    URI token = metadata.getTokenEndpointURI();
    if (token == null) {
      throw new TokenFetchException(
          "the metadata of authorization server "
              + RemoteText.url(issuer)
              + " names no token_endpoint");
    }
    checkEndpoint(token, "token endpoint", issuer);
    URI authorization = metadata.getAuthorizationEndpointURI();
    if (authorization != null) {
      checkEndpoint(authorization, "authorization endpoint", issuer);
    }
    URI registration = metadata.getRegistrationEndpointURI();
    if (registration != null) {
      checkEndpoint(registration, "registration endpoint", issuer);
    }
    List<String> scopes = new ArrayList<>();
    if (metadata.getScopes() != null) {
      scopes.addAll(metadata.getScopes().toStringList());
    }
    List<String> authMethods = new ArrayList<>();
    if (metadata.getTokenEndpointAuthMethods() != null) {
      for (ClientAuthenticationMethod method : metadata.getTokenEndpointAuthMethods()) {
        authMethods.add(method.getValue());
      }
    }
    List<String> pkce = new ArrayList<>();
    if (metadata.getCodeChallengeMethods() != null) {
      for (CodeChallengeMethod method : metadata.getCodeChallengeMethods()) {
        pkce.add(method.getValue());
      }
    }
    boolean cimd = Boolean.TRUE.equals(json.get("client_id_metadata_document_supported"));
    return new AuthorizationServer(
        issuer, authorization, token, registration, cimd, scopes, authMethods, pkce);
  }

  private void checkEndpoint(URI endpoint, String what, @Nullable String issuer)
      throws TokenFetchException {
    try {
      checkSafe(endpoint, what);
    } catch (IllegalArgumentException e) {
      throw new TokenFetchException(
          "the "
              + what
              + " of authorization server "
              + RemoteText.url(issuer)
              + " is refused: "
              + e.getMessage());
    }
  }

  private static AuthorizationServerMetadata parseMetadata(JSONObject json, URI url)
      throws TokenFetchException {
    try {
      return AuthorizationServerMetadata.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new TokenFetchException(
          "the authorization server metadata at " + RemoteText.url(url) + " is invalid");
    }
  }

  private MetadataDocuments.Answer fetch(URI url, String what) throws TokenFetchException {
    try {
      checkSafe(url, "the " + what + " URL");
    } catch (IllegalArgumentException e) {
      throw new TokenFetchException(refusal(e));
    }
    try {
      return MetadataDocuments.get(url, connectTimeoutMillis, readTimeoutMillis);
    } catch (IOException e) {
      throw new TokenFetchException(
          "could not read the "
              + what
              + " at "
              + RemoteText.url(url)
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          0,
          e);
    }
  }

  private URI parseUrl(String value, String what) throws TokenFetchException {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (java.net.URISyntaxException e) {
      throw new TokenFetchException(what + " is not a URL");
    }
    try {
      checkSafe(uri, what);
    } catch (IllegalArgumentException e) {
      throw new TokenFetchException(refusal(e));
    }
    return uri;
  }

  private void checkSafe(URI uri, String what) {
    TokenEndpointResolver.requireSafe(uri, what, allowInsecureHttp, allowLoopbackHttp);
  }

  private static String stripSlash(String uri) {
    String out = uri;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }

  private static @Nullable String string(JSONObject json, String name) {
    Object value = json.get(name);
    return value instanceof String && !((String) value).isBlank() ? (String) value : null;
  }

  private static @Nullable List<String> strings(JSONObject json, String name) {
    Object value = json.get(name);
    if (!(value instanceof List)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object item : (List<?>) value) {
      if (item instanceof String && !((String) item).isBlank()) {
        out.add((String) item);
      }
    }
    return out;
  }

  /** The message of a URL refused by {@code checkSafe} or {@code CanonicalUri}: both give one. */
  private static String refusal(IllegalArgumentException e) {
    return requireNonNullElse(e.getMessage(), "the URL was refused");
  }
}
