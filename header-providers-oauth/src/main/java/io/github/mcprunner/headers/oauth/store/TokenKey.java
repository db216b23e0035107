package io.github.mcprunner.headers.oauth.store;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.oauth.internal.RemoteText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * What a stored token is for: the provider that obtained it, the identity it was obtained for, the
 * MCP server resource it is meant for, and the rest of the request that obtained it (client,
 * audience, scope). The identity is a digest of the subject (a user id, or the subject token of a
 * token exchange), never the subject itself; {@code ""} for tokens of no user (client credentials).
 *
 * <p>{@link #id()} is one string naming the whole key, a SHA-256 digest safe to use as (part of) a
 * storage key: it reveals neither the user nor the server.
 */
public final class TokenKey {
  private final String provider;
  private final String identity;
  private final String resource;
  private final String request;
  private final String id;

  private TokenKey(String provider, String identity, String resource, String request) {
    this.provider = provider;
    this.identity = identity;
    this.resource = resource;
    this.request = request;
    this.id = digest(provider + '\u0000' + identity + '\u0000' + resource + '\u0000' + request);
  }

  /**
   * Returns a key.
   *
   * @param provider the provider's name
   * @param subject the user id or subject token the token was obtained for, or null for none; only
   *     its digest is kept
   * @param resource the MCP server resource (canonical URI) or audience, {@code ""} for none
   * @param request the other request parameters that tell tokens apart (client, scope), {@code ""}
   *     for none
   */
  public static TokenKey of(
      String provider, @Nullable String subject, String resource, String request) {
    return new TokenKey(
        requireNonNull(provider, "provider"),
        subject == null ? "" : digest(subject),
        requireNonNull(resource, "resource"),
        requireNonNull(request, "request"));
  }

  /** Returns the provider's name. */
  public String provider() {
    return provider;
  }

  /** Returns the digest of the subject, or {@code ""} for tokens of no user. */
  public String identity() {
    return identity;
  }

  /** Returns the MCP server resource or audience, or {@code ""}. */
  public String resource() {
    return resource;
  }

  /** Returns the other request parameters, or {@code ""}. */
  public String request() {
    return request;
  }

  /** Returns a digest naming this key (base64url SHA-256 of all its parts). */
  public String id() {
    return id;
  }

  static String digest(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenKey && id.equals(((TokenKey) o).id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "TokenKey{provider="
        + provider
        + ", resource="
        + RemoteText.url(resource)
        + ", id="
        + id
        + "}";
  }
}
