package io.github.mcprunner.model.openai.internal;

import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import io.github.mcprunner.model.openai.OpenAiModelException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the OpenAI SDK throws into an {@link OpenAiModelException} whose message names the
 * API, endpoint, model and agent. Texts an endpoint sent with a 401 or 403 are left out, and so is
 * the SDK exception that carries them: OpenAI echoes part of a wrong key there.
 */
public final class Failures {
  private static final int MAX_SERVER_TEXT = 300;

  private Failures() {}

  /** Returns the exception to throw for {@code failure}. */
  public static OpenAiModelException translate(
      RuntimeException failure, Endpoint endpoint, String agentName) {
    if (failure instanceof OpenAiModelException) {
      return (OpenAiModelException) failure;
    }
    String where = endpoint.describe(agentName);
    if (failure instanceof SseException) {
      SseException e = (SseException) failure;
      String code = code(e);
      return new OpenAiModelException(
          where + " reported an error in its event stream" + parenthesised(code) + serverText(e),
          0,
          code,
          null);
    }
    if (failure instanceof OpenAIServiceException) {
      return service((OpenAIServiceException) failure, endpoint, where);
    }
    if (failure instanceof OpenAIIoException) {
      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
      return new OpenAiModelException(
          where
              + " could not be reached or did not answer in time"
              + endpoint.afterRetries()
              + " ("
              + cause.getClass().getSimpleName()
              + ")",
          0,
          null,
          failure);
    }
    if (failure instanceof OpenAIInvalidDataException) {
      return new OpenAiModelException(
          where + " answered with data the adapter cannot read (" + failure.getMessage() + ")",
          0,
          null,
          failure);
    }
    if (failure instanceof OpenAIException) {
      return new OpenAiModelException(
          where + " failed (" + failure.getClass().getSimpleName() + ")", 0, null, failure);
    }
    return new OpenAiModelException(
        where + " failed (" + failure.getClass().getSimpleName() + ")", 0, null, failure);
  }

  private static OpenAiModelException service(
      OpenAIServiceException e, Endpoint endpoint, String where) {
    int status = e.statusCode();
    String code = code(e);
    String detail = " (HTTP " + status + (code == null ? "" : ", " + code) + ")";
    if (status == 401) {
      return new OpenAiModelException(
          where
              + " refused the API key"
              + detail
              + "; check OPENAI_API_KEY or the key given to the model's builder",
          status,
          code,
          null);
    }
    if (status == 403) {
      return new OpenAiModelException(
          where
              + " refused access"
              + detail
              + "; check that the key's organization and project may use this model",
          status,
          code,
          null);
    }
    if (status == 429) {
      return new OpenAiModelException(
          where
              + " is rate limiting requests or out of quota"
              + detail
              + endpoint.afterRetries()
              + "; retry later or check the account's limits",
          status,
          code,
          e);
    }
    if (status >= 500 || status == 408 || status == 409) {
      return new OpenAiModelException(
          where + " failed" + detail + endpoint.afterRetries(), status, code, e);
    }
    return new OpenAiModelException(
        where + " rejected the request" + detail + serverText(e), status, code, e);
  }

  private static @Nullable String code(OpenAIServiceException e) {
    Optional<String> code = e.code();
    return code.or(e::type).filter(c -> !c.isBlank()).orElse(null);
  }

  private static String parenthesised(@Nullable String code) {
    return code == null ? "" : " (" + code + ")";
  }

  /** The endpoint's own explanation (e.g. which schema it rejected), shortened. */
  private static String serverText(OpenAIServiceException e) {
    // JsonValue's accessors reach Java as raw types (it is a JsonField<Nothing> in Kotlin).
    Optional<?> members = e.body().asObject();
    Object body = members.orElse(null);
    Object value = body instanceof Map ? ((Map<?, ?>) body).get("message") : null;
    Optional<?> string =
        value instanceof JsonValue ? ((JsonValue) value).asString() : Optional.empty();
    Object text = string.orElse(null);
    String message = text instanceof String ? (String) text : "";
    return message.isBlank() ? "" : ": " + oneLine(message);
  }

  /**
   * Returns text an endpoint sent, for a message: on one line (runs of white space become one
   * space, other control and format characters {@code ?}), cut after 300 characters, so that an
   * endpoint can neither forge log lines nor flood them.
   */
  static String oneLine(String text) {
    String shown = text.strip().replaceAll("\\s+", " ");
    if (shown.length() > MAX_SERVER_TEXT) {
      shown = shown.substring(0, MAX_SERVER_TEXT) + "…";
    }
    StringBuilder out = new StringBuilder(shown.length());
    shown
        .codePoints()
        .forEach(
            c -> {
              int type = Character.getType(c);
              boolean unsafe =
                  Character.isISOControl(c)
                      || type == Character.FORMAT
                      || type == Character.LINE_SEPARATOR
                      || type == Character.PARAGRAPH_SEPARATOR;
              out.appendCodePoint(unsafe ? '?' : c);
            });
    return out.toString();
  }
}
