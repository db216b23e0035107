package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a client at the token endpoint: {@code client_secret_basic}, {@code
 * client_secret_post} or {@code private_key_jwt} (RFC 7523, a fresh signed assertion per request).
 * Holds the secret or private key; {@link #toString()} shows only the method and client id. Not
 * public API.
 */
public final class ClientAuthenticator {

  /** How the client authenticates. */
  public enum Method {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    PRIVATE_KEY_JWT("private_key_jwt"),
    /** A public client: only {@code client_id} in the request body (with PKCE). */
    NONE("none");

    private final String value;

    Method(String value) {
      this.value = value;
    }

    /** Returns the method's registered name, e.g. {@code client_secret_basic}. */
    public String value() {
      return value;
    }

    /**
     * Returns the method named {@code value} (registered name, any case).
     *
     * @throws IllegalArgumentException if no method has that name
     */
    public static Method parse(String value) {
      for (Method method : values()) {
        if (method.value.equalsIgnoreCase(value.trim())) {
          return method;
        }
      }
      throw new IllegalArgumentException(
          "client authentication method must be client_secret_basic, client_secret_post,"
              + " private_key_jwt or none");
    }
  }

  /** Lifetime of a client assertion: short, since each token request signs a new one. */
  static final Duration ASSERTION_LIFETIME = Duration.ofSeconds(60);

  private final Method method;
  private final String clientId;
  private final @Nullable String secret;
  private final @Nullable PrivateKey privateKey;
  private final @Nullable String keyId;
  private final @Nullable JWSAlgorithm algorithm;

  private ClientAuthenticator(
      Method method,
      String clientId,
      @Nullable String secret,
      @Nullable PrivateKey privateKey,
      @Nullable String keyId,
      @Nullable JWSAlgorithm algorithm) {
    this.method = method;
    this.clientId = clientId;
    this.secret = secret;
    this.privateKey = privateKey;
    this.keyId = keyId;
    this.algorithm = algorithm;
  }

  /** Returns an authenticator sending {@code clientId} and {@code secret} the given way. */
  public static ClientAuthenticator secret(Method method, String clientId, String secret) {
    requireNonNull(method, "method");
    requireNonEmpty(clientId, "clientId");
    requireNonEmpty(secret, "clientSecret");
    if (method == Method.PRIVATE_KEY_JWT || method == Method.NONE) {
      throw new IllegalArgumentException(method.value() + " takes no client secret");
    }
    return new ClientAuthenticator(method, clientId, secret, null, null, null);
  }

  /** Returns a public client that sends only its {@code clientId} (token endpoint auth "none"). */
  public static ClientAuthenticator none(String clientId) {
    requireNonEmpty(clientId, "clientId");
    return new ClientAuthenticator(Method.NONE, clientId, null, null, null, null);
  }

  /**
   * Returns a {@code private_key_jwt} authenticator signing with {@code key}.
   *
   * @param algorithm JWS algorithm name ({@code RS256}, {@code ES256}, ...), or null to pick the
   *     usual one for the key
   * @throws IllegalArgumentException if the key is neither RSA nor EC, or the algorithm does not
   *     fit it
   */
  public static ClientAuthenticator privateKeyJwt(
      String clientId, PrivateKey key, @Nullable String keyId, @Nullable String algorithm) {
    requireNonEmpty(clientId, "clientId");
    requireNonNull(key, "privateKey");
    JWSAlgorithm alg =
        algorithm == null ? defaultAlgorithm(key) : JWSAlgorithm.parse(algorithm.trim());
    boolean fits =
        key instanceof RSAPrivateKey
            ? JWSAlgorithm.Family.RSA.contains(alg)
            : key instanceof ECPrivateKey && JWSAlgorithm.Family.EC.contains(alg);
    if (!fits) {
      throw new IllegalArgumentException(
          "private key algorithm "
              + alg.getName()
              + " does not fit a "
              + key.getAlgorithm()
              + " key");
    }
    return new ClientAuthenticator(Method.PRIVATE_KEY_JWT, clientId, null, key, keyId, alg);
  }

  private static JWSAlgorithm defaultAlgorithm(PrivateKey key) {
    if (key instanceof RSAPrivateKey) {
      return JWSAlgorithm.RS256;
    }
    if (key instanceof ECPrivateKey) {
      int bits = ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize();
      if (bits <= 256) {
        return JWSAlgorithm.ES256;
      }
      return bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
    }
    throw new IllegalArgumentException(
        "private key must be an RSA or EC key, not " + key.getAlgorithm());
  }

  private static void requireNonEmpty(String value, String what) {
    requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  /** Returns the client id. */
  public String clientId() {
    return clientId;
  }

  /** Returns how the client authenticates. */
  public Method method() {
    return method;
  }

  /**
   * Returns the Nimbus client authentication for one request to {@code tokenEndpoint} at {@code
   * now}, or null for a public client ({@link Method#NONE}: the caller sends {@code client_id}).
   * For {@code private_key_jwt} a new assertion with a new {@code jti}; its audience is {@code
   * assertionAudience} (the authorization server's issuer, as RFC 7523bis asks) or, when that is
   * null, the token endpoint.
   */
  @Nullable ClientAuthentication forRequest(
      URI tokenEndpoint, @Nullable String assertionAudience, Instant now)
      throws TokenFetchException {
    ClientID id = new ClientID(clientId);
    switch (method) {
      case NONE:
        return null;
      case CLIENT_SECRET_BASIC:
        return new ClientSecretBasic(id, new Secret(requireNonNull(secret)));
      case CLIENT_SECRET_POST:
        return new ClientSecretPost(id, new Secret(requireNonNull(secret)));
      case PRIVATE_KEY_JWT:
        String audience = assertionAudience != null ? assertionAudience : tokenEndpoint.toString();
        JWTAuthenticationClaimsSet claims =
            new JWTAuthenticationClaimsSet(
                id,
                List.of(new Audience(audience)),
                Date.from(now.plus(ASSERTION_LIFETIME)),
                Date.from(now),
                Date.from(now),
                new JWTID());
        try {
          return new PrivateKeyJWT(
              claims,
              requireNonNull(algorithm),
              requireNonNull(privateKey),
              keyId,
              (Provider) null);
        } catch (JOSEException e) {
          // JOSE messages describe the key's kind and size, never its material.
          throw new TokenFetchException(
              "could not sign the client assertion (" + e.getMessage() + ")");
        }
    }
    throw new AssertionError(method);
  }

  @Override
  public String toString() {
    return method.value().toLowerCase(Locale.ROOT) + "(clientId=" + clientId + ")";
  }
}
