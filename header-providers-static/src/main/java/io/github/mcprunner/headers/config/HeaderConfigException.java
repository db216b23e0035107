package io.github.mcprunner.headers.config;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Header configuration is broken: a file that cannot be read or parsed, an unknown key, a reference
 * to a secret that does not exist, an invalid or protected header. Thrown when a provider is built
 * (so a broken configuration stops start-up, not the first request); on a reload the previous
 * configuration is kept and the same message is logged once.
 *
 * <p>The message names where the problem is (file and line, environment variable or system
 * property, and the key) and <b>never</b> contains a configured value, for example (one line):
 *
 * <pre>
 * Header configuration file 'headers.properties' line 4, key 'server.crm.headers.X-Api-Key':
 * ${env:CRM_KEY} names an environment variable that is not set
 * </pre>
 */
public class HeaderConfigException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} must hold no configured value. */
  public HeaderConfigException(String message) {
    super(requireNonNull(message, "message"));
  }

  /** Creates the exception with a cause; {@code message} must hold no configured value. */
  public HeaderConfigException(String message, @Nullable Throwable cause) {
    super(requireNonNull(message, "message"), cause);
  }
}
