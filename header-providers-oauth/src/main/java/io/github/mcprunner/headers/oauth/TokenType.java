package io.github.mcprunner.headers.oauth;

/**
 * Token type identifiers of RFC 8693 §3, for the {@code subject_token_type} and {@code
 * requested_token_type} of a token exchange.
 */
public enum TokenType {
  /** {@code urn:ietf:params:oauth:token-type:access_token}: an OAuth 2.0 access token. */
  ACCESS_TOKEN("urn:ietf:params:oauth:token-type:access_token"),
  /** {@code urn:ietf:params:oauth:token-type:id_token}: an OpenID Connect ID token. */
  ID_TOKEN("urn:ietf:params:oauth:token-type:id_token"),
  /** {@code urn:ietf:params:oauth:token-type:jwt}: a JWT. */
  JWT("urn:ietf:params:oauth:token-type:jwt"),
  /** {@code urn:ietf:params:oauth:token-type:refresh_token}: an OAuth 2.0 refresh token. */
  REFRESH_TOKEN("urn:ietf:params:oauth:token-type:refresh_token");

  private final String uri;

  TokenType(String uri) {
    this.uri = uri;
  }

  /** Returns the type's URI, e.g. {@code urn:ietf:params:oauth:token-type:access_token}. */
  public String uri() {
    return uri;
  }

  /**
   * Returns the type named by {@code value}: its URI, or its short name ({@code access_token},
   * {@code id_token}, {@code jwt}, {@code refresh_token}) in any case.
   *
   * @throws IllegalArgumentException if {@code value} names no type
   */
  public static TokenType parse(String value) {
    String v = value.trim();
    for (TokenType type : values()) {
      if (type.uri.equals(v) || type.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "token type must be access_token, id_token, jwt, refresh_token or one of their"
            + " urn:ietf:params:oauth:token-type URIs");
  }
}
