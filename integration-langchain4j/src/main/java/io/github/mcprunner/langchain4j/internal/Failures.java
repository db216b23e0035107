package io.github.mcprunner.langchain4j.internal;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.github.mcprunner.langchain4j.LangChain4jModelException;

/**
 * Turns what a LangChain4j model throws into a {@link LangChain4jModelException} naming the model
 * and the agent. The text and the exception a provider sent with a 401 or 403 are left out:
 * providers echo part of a wrong key there.
 */
public final class Failures {
  private static final int MAX_SERVER_TEXT = 300;

  private Failures() {}

  /** Returns the exception to throw for {@code failure}. */
  public static LangChain4jModelException translate(Throwable failure, String where) {
    if (failure instanceof LangChain4jModelException) {
      return (LangChain4jModelException) failure;
    }
    int status = status(failure);
    String http = status == 0 ? "" : " (HTTP " + status + ")";
    if (failure instanceof AuthenticationException || status == 401 || status == 403) {
      return new LangChain4jModelException(
          where
              + " was refused its credentials"
              + http
              + "; check the API key or token the LangChain4j model was built with",
          status,
          null);
    }
    if (failure instanceof RateLimitException) {
      return new LangChain4jModelException(
          where + " is rate limiting requests or out of quota" + http + "; retry later",
          status,
          failure);
    }
    if (failure instanceof TimeoutException) {
      return new LangChain4jModelException(
          where + " did not answer in time" + http, status, failure);
    }
    if (failure instanceof InternalServerException) {
      return new LangChain4jModelException(where + " failed" + http, status, failure);
    }
    if (failure instanceof ModelNotFoundException) {
      return new LangChain4jModelException(
          where + " does not know the model" + http + "; check the model name", status, failure);
    }
    if (failure instanceof UnresolvedModelServerException) {
      return new LangChain4jModelException(
          where + " could not reach the model's server (unresolved address)", status, failure);
    }
    if (failure instanceof ContentFilteredException) {
      return new LangChain4jModelException(
          where + " refused the request: its content filter was triggered" + http, status, failure);
    }
    if (failure instanceof UnsupportedFeatureException) {
      return new LangChain4jModelException(
          where + " does not support a feature the request uses" + text(failure), status, failure);
    }
    if (failure instanceof InvalidRequestException) {
      return new LangChain4jModelException(
          where + " rejected the request" + http + text(failure), status, failure);
    }
    return new LangChain4jModelException(
        where + " failed" + http + " (" + failure.getClass().getSimpleName() + ")",
        status,
        failure);
  }

  /** The HTTP status of the first {@link HttpException} in the cause chain, or 0. */
  private static int status(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof HttpException) {
        return ((HttpException) t).statusCode();
      }
    }
    return 0;
  }

  /** The provider's own explanation (e.g. which schema it rejected), shortened. */
  private static String text(Throwable failure) {
    String message = failure.getMessage();
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof HttpException) {
        message = t.getMessage();
        break;
      }
    }
    if (message == null || message.isBlank()) {
      return "";
    }
    String shown = message.strip().replaceAll("\\s+", " ");
    if (shown.length() > MAX_SERVER_TEXT) {
      shown = shown.substring(0, MAX_SERVER_TEXT) + "…";
    }
    return ": " + shown;
  }
}
