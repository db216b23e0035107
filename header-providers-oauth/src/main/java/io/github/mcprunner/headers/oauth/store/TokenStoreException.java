package io.github.mcprunner.headers.oauth.store;

/**
 * The token store could not be reached or answered something it cannot use. The message says what
 * failed without any token or secret. A provider that gets it obtains no token: the request it was
 * resolving is not sent and the run fails with an error naming the provider and the server.
 */
public class TokenStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message free of secrets. */
  public TokenStoreException(String message) {
    super(message);
  }

  /** Creates the exception with a message free of secrets and the failure behind it. */
  public TokenStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
