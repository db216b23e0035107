package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.HeaderProviderException;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth header provider could not obtain a token for an MCP server: the token endpoint could not
 * be reached, did not answer in time, refused the request ({@code invalid_grant}, {@code
 * invalid_client}, ...) or answered something malformed. The request to the MCP server was not
 * sent.
 *
 * <p>The message names the provider, the server and the OAuth error code, never a token, secret or
 * response body: {@code Header provider 'oauth-token-exchange' failed for server 'crm': token
 * endpoint answered HTTP 400 with OAuth error 'invalid_grant'; the request was not sent}.
 */
public final class OAuthTokenException extends HeaderProviderException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String errorCode;
  private final int httpStatus;

  /**
   * Creates the exception.
   *
   * @param providerName the provider's name
   * @param serverName the MCP server the token was for
   * @param problem what went wrong, without any secret
   * @param errorCode the OAuth error code the token endpoint answered, if any
   * @param httpStatus the HTTP status the token endpoint answered, or 0 if it did not answer
   * @param cause the underlying failure, if any
   */
  public OAuthTokenException(
      String providerName,
      String serverName,
      String problem,
      @Nullable String errorCode,
      int httpStatus,
      @Nullable Throwable cause) {
    super(providerName, serverName, problem, cause);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }

  /** Returns the OAuth error code the token endpoint answered ({@code invalid_grant}, ...). */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** Returns the HTTP status the token endpoint answered, if it answered. */
  public OptionalInt httpStatus() {
    return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
