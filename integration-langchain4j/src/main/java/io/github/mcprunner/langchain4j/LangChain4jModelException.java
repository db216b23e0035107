package io.github.mcprunner.langchain4j;

import io.github.mcprunner.McpRunnerException;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j model failed, refused a request, or was handed a tool whose parameters schema
 * LangChain4j cannot express. The message names the model, the agent and what failed; it never
 * holds an API key, a header value, or the text a provider sent with a 401 or 403 (providers echo
 * part of a wrong key there).
 */
public class LangChain4jModelException extends McpRunnerException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;

  /**
   * Creates the exception.
   *
   * @param message what failed, where, and what to do; no secret
   * @param statusCode the HTTP status the provider answered, or {@code 0} when none is known
   * @param cause the underlying failure, if it holds no secret
   */
  public LangChain4jModelException(String message, int statusCode, @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** Returns the HTTP status the provider answered, if known. */
  public OptionalInt statusCode() {
    return statusCode == 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }
}
