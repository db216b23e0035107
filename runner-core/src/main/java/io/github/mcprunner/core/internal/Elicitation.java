package io.github.mcprunner.core.internal;

import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The one path of a server's question (MCP elicitation) to the run it belongs to, for both protocol
 * eras: the session era's {@code elicitation/create} request ({@link ElicitationTransport}) and the
 * stateless era's {@code input_required} result both hand the request's params here and send back
 * the result this returns.
 *
 * <p>It checks the question (a URL must be absolute {@code https}, or {@code http} to a loopback
 * host; anything else never reaches the handler and fails the run after its current call), asks the
 * run's {@link RunInput} (declines when the run has no handler), and fills an accepted form's
 * missing fields with the schema's defaults (SEP-1034). Not public API.
 */
public final class Elicitation {
  private static final Map<String, Object> DECLINE = Map.of("action", "decline");

  private Elicitation() {}

  /**
   * Asks the user of {@code run} the question of {@code server} whose JSON-RPC params are {@code
   * params} (keys {@code mode}, {@code message}, {@code requestedSchema}, {@code url}, {@code
   * elicitationId}), and returns the result to send to the server ({@code action} and, when
   * accepted, {@code content}).
   *
   * <p>The stage completes exceptionally only with a {@link RefusedQuestion} (unknown mode, a URL
   * the runner refuses, a form without schema): answer the server with a JSON-RPC error {@code
   * -32602} carrying its message. Never blocks.
   */
  public static CompletionStage<Map<String, Object>> answer(
      McpServerSpec server, RunScope run, Map<String, Object> params, McpJsonMapper json) {
    RunInput input = run.input();
    if (!input.hasHandler()) {
      // No handler: the spec's answer for a client with nobody to ask, at once.
      return CompletableFuture.completedFuture(DECLINE);
    }
    InputRequest request;
    try {
      request = request(server, run, params, json);
    } catch (RefusedQuestion refused) {
      if (refused.failsRun) {
        input.failRun(
            new McpServerException(
                server.name(),
                server.uri(),
                refused.getMessage() + " (run " + run.runId() + ")",
                null));
      }
      return CompletableFuture.failedFuture(refused);
    }
    return input.ask(request).thenApply(response -> result(request, response, params));
  }

  /** Returns the result of a question no run may see: {@code decline}. */
  public static Map<String, Object> declined() {
    return DECLINE;
  }

  private static InputRequest request(
      McpServerSpec server, RunScope run, Map<String, Object> params, McpJsonMapper json) {
    InputRequest.Run origin =
        InputRequest.Run.of(
            server.name(),
            run.runId(),
            run.agentName(),
            run.identity().orElse(null),
            run.contextValues());
    Object modeValue = params.get("mode");
    String mode = modeValue == null ? "form" : String.valueOf(modeValue);
    String message = params.get("message") instanceof String ? (String) params.get("message") : "";
    if ("form".equals(mode)) {
      Object schema = params.get("requestedSchema");
      if (!(schema instanceof Map)) {
        throw new RefusedQuestion("asked for a form without a requestedSchema object", false);
      }
      try {
        return InputRequest.form(origin, message, json.writeValueAsString(schema));
      } catch (IOException e) {
        throw new RefusedQuestion("asked for a form with an unreadable requestedSchema", false);
      }
    }
    if ("url".equals(mode)) {
      Object elicitationId = params.get("elicitationId");
      if (!(elicitationId instanceof String)) {
        throw new RefusedQuestion("asked to open a URL without an elicitationId", false);
      }
      URI url = checkedUrl(params.get("url"));
      return InputRequest.url(origin, message, url, (String) elicitationId);
    }
    throw new RefusedQuestion(
        "asked for input in the unknown mode '" + shortened(mode) + "'", false);
  }

  /**
   * Returns the URL a server asks the user to open, when it is absolute {@code https}, or {@code
   * http} to a loopback host, without user info; the message of the refusal never repeats the URL
   * (it may carry a one-time code).
   */
  static URI checkedUrl(@Nullable Object value) {
    if (!(value instanceof String)) {
      throw new RefusedQuestion("asked to open a URL but sent none", true);
    }
    URI url;
    try {
      url = new URI((String) value);
    } catch (URISyntaxException e) {
      throw new RefusedQuestion("asked to open a URL that is not a valid URI", true);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost();
    if (!url.isAbsolute() || url.isOpaque() || host == null || host.isEmpty()) {
      throw new RefusedQuestion("asked to open a URL that is not absolute with a host", true);
    }
    if (url.getRawUserInfo() != null) {
      throw new RefusedQuestion("asked to open a URL with user info (credentials)", true);
    }
    if ("https".equals(scheme) || "http".equals(scheme) && isLoopback(host)) {
      return url;
    }
    throw new RefusedQuestion(
        "asked to open a URL that is neither https nor http to a loopback host; it was not shown"
            + " to the user",
        true);
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> result(
      InputRequest request, InputResponse response, Map<String, Object> params) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("action", response.action().name().toLowerCase(Locale.ROOT));
    if (response.action() == InputResponse.Action.ACCEPT
        && request.mode() == InputRequest.Mode.FORM) {
      result.put("content", withDefaults(response.content(), params.get("requestedSchema")));
    }
    return result;
  }

  /** The content with each field the user left out set to the schema's default (SEP-1034). */
  static Map<String, Object> withDefaults(Map<String, Object> content, @Nullable Object schema) {
    Map<String, Object> filled = new LinkedHashMap<>(content);
    if (schema instanceof Map) {
      Object properties = ((Map<?, ?>) schema).get("properties");
      if (properties instanceof Map) {
        for (Map.Entry<?, ?> property : ((Map<?, ?>) properties).entrySet()) {
          if (property.getKey() instanceof String && property.getValue() instanceof Map) {
            Map<?, ?> definition = (Map<?, ?>) property.getValue();
            Object fallback = definition.get("default");
            if (fallback != null && !filled.containsKey(property.getKey())) {
              filled.put((String) property.getKey(), fallback);
            }
          }
        }
      }
    }
    return filled;
  }

  private static String shortened(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }

  /** A question the runner refuses to show; its message names what is wrong, never the URL. */
  public static final class RefusedQuestion extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient boolean failsRun;

    RefusedQuestion(String message, boolean failsRun) {
      super(message, null, false, false);
      this.failsRun = failsRun;
    }
  }
}
