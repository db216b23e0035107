package io.github.mcprunner.headers.oauth.internal;

import org.jspecify.annotations.Nullable;

/**
 * A token could not be obtained. The message says what went wrong without any token, secret or
 * response body; the provider wraps it into an error naming itself and the server. Not public API.
 */
public final class TokenFetchException extends Exception {
  private static final long serialVersionUID = 1L;

  private final @Nullable String errorCode;
  private final int httpStatus;

  /**
   * Creates the exception.
   *
   * @param problem what went wrong, without secrets
   * @param errorCode the OAuth error code the token endpoint answered, if any
   * @param httpStatus the HTTP status the token endpoint answered, or 0
   * @param cause an I/O failure, if any (never a parse failure, whose message may quote the body)
   */
  public TokenFetchException(
      String problem, @Nullable String errorCode, int httpStatus, @Nullable Throwable cause) {
    // Messages may hold remote text (URLs, identifiers): never control characters, never unbounded.
    super(RemoteText.message(problem), cause);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }

  /** Returns an exception with only a problem description. */
  public TokenFetchException(String problem) {
    this(problem, null, 0, null);
  }

  /** Returns the OAuth error code ({@code invalid_grant}, ...), or null. */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** Returns the HTTP status of the token endpoint's answer, or 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }
}
