package io.github.mcprunner.model.openai;

import io.github.mcprunner.McpRunnerException;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI (or OpenAI-compatible) endpoint refused a request, failed, could not be reached, or
 * answered with something the adapter cannot use. The message names the API, the endpoint, the
 * model and the agent; it never holds the API key nor the text an endpoint sent with a 401 or 403
 * (OpenAI echoes part of a wrong key there). Thrown after the SDK's own retries are spent.
 */
public class OpenAiModelException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final @Nullable String errorCode;

  /**
   * Creates the exception.
   *
   * @param message what failed, where, and what to do; no secret
   * @param statusCode the HTTP status the endpoint answered, or {@code 0} when none (timeout,
   *     connection refused, malformed data)
   * @param errorCode the endpoint's error code or type (e.g. {@code invalid_api_key}), if any
   * @param cause the underlying failure, if it holds no secret
   */
  public OpenAiModelException(
      String message, int statusCode, @Nullable String errorCode, @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  /** Returns the HTTP status the endpoint answered, if it answered one. */
  public OptionalInt statusCode() {
    return statusCode == 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /** Returns the endpoint's error code (or, lacking one, its error type), if it sent one. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }
}
