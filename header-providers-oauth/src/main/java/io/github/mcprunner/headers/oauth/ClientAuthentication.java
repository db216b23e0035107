package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.config.HeaderConfigException;
import io.github.mcprunner.headers.config.SettingReader;
import io.github.mcprunner.headers.oauth.internal.ClientAuthenticator;
import java.security.PrivateKey;
import org.jspecify.annotations.Nullable;

/**
 * How the runner authenticates as an OAuth client at the token endpoint: {@code
 * client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} (RFC 7523), or {@code
 * none} for a public client.
 *
 * <pre>{@code
 * ClientAuthentication.clientSecretBasic("mcp-runner", System.getenv("OAUTH_CLIENT_SECRET"));
 * ClientAuthentication.privateKeyJwt("mcp-runner", privateKey, "key-2025-01");
 * }</pre>
 *
 * <p>For {@code private_key_jwt} every token request carries a newly signed assertion ({@code iss}
 * and {@code sub} the client id, a 60 second lifetime, a random {@code jti}; {@code aud} the token
 * endpoint for {@link TokenExchangeHeadersProvider} and {@link ClientCredentialsHeadersProvider},
 * the authorization server's issuer for {@link McpAuthorizationHeadersProvider} by default).
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows the method and client id,
 * never the secret or key.
 */
public final class ClientAuthentication {
  private final ClientAuthenticator authenticator;

  private ClientAuthentication(ClientAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Returns HTTP Basic authentication with {@code clientId} and {@code clientSecret} ({@code
   * client_secret_basic}).
   *
   * @throws IllegalArgumentException if either is blank
   */
  public static ClientAuthentication clientSecretBasic(String clientId, String clientSecret) {
    return new ClientAuthentication(
        ClientAuthenticator.secret(
            ClientAuthenticator.Method.CLIENT_SECRET_BASIC, clientId, clientSecret));
  }

  /**
   * Returns authentication with {@code client_id} and {@code client_secret} in the request body
   * ({@code client_secret_post}).
   *
   * @throws IllegalArgumentException if either is blank
   */
  public static ClientAuthentication clientSecretPost(String clientId, String clientSecret) {
    return new ClientAuthentication(
        ClientAuthenticator.secret(
            ClientAuthenticator.Method.CLIENT_SECRET_POST, clientId, clientSecret));
  }

  /**
   * Returns {@code private_key_jwt} authentication signing with an RSA or EC {@code privateKey},
   * with the usual algorithm for the key (RS256; ES256, ES384 or ES512 by curve).
   *
   * @param keyId the {@code kid} header, as registered with the authorization server, or null
   * @throws IllegalArgumentException if the key is neither RSA nor EC
   */
  public static ClientAuthentication privateKeyJwt(
      String clientId, PrivateKey privateKey, @Nullable String keyId) {
    return new ClientAuthentication(
        ClientAuthenticator.privateKeyJwt(clientId, privateKey, keyId, null));
  }

  /**
   * Returns {@code private_key_jwt} authentication signing with {@code privateKey} and the JWS
   * {@code algorithm} (e.g. {@code PS256}, {@code ES384}).
   *
   * @throws IllegalArgumentException if the algorithm does not fit the key
   */
  public static ClientAuthentication privateKeyJwt(
      String clientId, PrivateKey privateKey, @Nullable String keyId, String algorithm) {
    return new ClientAuthentication(
        ClientAuthenticator.privateKeyJwt(
            clientId, privateKey, keyId, requireNonNull(algorithm, "algorithm")));
  }

  /**
   * Returns {@code private_key_jwt} authentication signing with the unencrypted PKCS#8 RSA or EC
   * key in {@code privateKeyPem} ({@code -----BEGIN PRIVATE KEY-----}), with the usual algorithm
   * for the key (RS256; ES256, ES384 or ES512 by curve).
   *
   * @param keyId the {@code kid} header, as registered with the authorization server, or null
   * @throws IllegalArgumentException if the text holds no such key (the message never quotes it)
   */
  public static ClientAuthentication privateKeyJwtPem(
      String clientId, String privateKeyPem, @Nullable String keyId) {
    PrivateKey key;
    try {
      key =
          SettingReader.pemPrivateKey(
              requireNonNull(privateKeyPem, "privateKeyPem"), "privateKeyPem");
    } catch (HeaderConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return privateKeyJwt(clientId, key, keyId);
  }

  /**
   * Returns a public client: {@code client_id} in the request body and no secret ({@code none}).
   * Only for {@link McpAuthorizationHeadersProvider#authorizationCode}, where PKCE protects the
   * code; the other providers need a confidential client.
   *
   * @throws IllegalArgumentException if the client id is blank
   */
  public static ClientAuthentication none(String clientId) {
    return new ClientAuthentication(ClientAuthenticator.none(clientId));
  }

  /** Returns the client id. */
  public String clientId() {
    return authenticator.clientId();
  }

  /**
   * Returns the method's registered name: {@code client_secret_basic}, {@code client_secret_post},
   * {@code private_key_jwt} or {@code none}.
   */
  public String method() {
    return authenticator.method().value();
  }

  ClientAuthenticator authenticator() {
    return authenticator;
  }

  /** Returns e.g. {@code client_secret_basic(clientId=mcp-runner)}; never the secret. */
  @Override
  public String toString() {
    return authenticator.toString();
  }
}
