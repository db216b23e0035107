package io.github.mcprunner.headers.oauth.store;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.oauth.internal.RemoteText;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client registered with an authorization server by dynamic client registration (RFC 7591): the
 * issuer it was registered with, the client id, the secret (null for a public client) and the token
 * endpoint authentication method. A registration is kept by issuer and only ever used with that
 * issuer. {@link #toString()} never shows the secret.
 */
public final class ClientRegistration {
  private final String issuer;
  private final String clientId;
  private final @Nullable String clientSecret;
  private final String authMethod;

  private ClientRegistration(
      String issuer, String clientId, @Nullable String clientSecret, String authMethod) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.authMethod = authMethod;
  }

  /**
   * Returns a registration.
   *
   * @param issuer the authorization server's issuer identifier
   * @param clientId the client id it issued
   * @param clientSecret the client secret it issued, or null for a public client
   * @param authMethod the {@code token_endpoint_auth_method} ({@code client_secret_basic}, {@code
   *     client_secret_post} or {@code none})
   */
  public static ClientRegistration of(
      String issuer, String clientId, @Nullable String clientSecret, String authMethod) {
    return new ClientRegistration(
        requireNonNull(issuer, "issuer"),
        requireNonNull(clientId, "clientId"),
        clientSecret,
        requireNonNull(authMethod, "authMethod"));
  }

  /** Returns the issuer the client is registered with. */
  public String issuer() {
    return issuer;
  }

  /** Returns the client id. */
  public String clientId() {
    return clientId;
  }

  /** Returns the client secret, or null for a public client. Never log it. */
  public @Nullable String clientSecret() {
    return clientSecret;
  }

  /** Returns the token endpoint authentication method. */
  public String authMethod() {
    return authMethod;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ClientRegistration)) {
      return false;
    }
    ClientRegistration other = (ClientRegistration) o;
    return issuer.equals(other.issuer)
        && clientId.equals(other.clientId)
        && Objects.equals(clientSecret, other.clientSecret)
        && authMethod.equals(other.authMethod);
  }

  @Override
  public int hashCode() {
    return Objects.hash(issuer, clientId, clientSecret, authMethod);
  }

  @Override
  public String toString() {
    return "ClientRegistration{issuer="
        + RemoteText.url(issuer)
        + ", clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret == null ? "none" : McpHeaders.REDACTED)
        + ", authMethod="
        + authMethod
        + "}";
  }
}
