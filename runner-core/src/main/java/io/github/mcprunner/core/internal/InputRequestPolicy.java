package io.github.mcprunner.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the runner answers the input requests of an {@code input_required} result (MCP 2026-07-28
 * multi round-trip requests), and which client capabilities every stateless request declares.
 *
 * <p>For now every {@code elicitation/create} is declined ({@code {"action": "decline"}}, the
 * answer the revision gives a user who says no); sampling and roots requests, deprecated in this
 * revision and not declared in the capabilities, get no answer, which the server reads as declined.
 * The run's own input handler (elicitation on both protocols) replaces this one decision. Not
 * public API.
 */
final class InputRequestPolicy {

  /** The capabilities every stateless request declares: form elicitation (answered above). */
  static final Map<String, Object> CLIENT_CAPABILITIES =
      Map.of("elicitation", Map.of("form", Map.of()));

  /** Declines every elicitation; answers nothing else. */
  static final InputRequestPolicy DECLINE_ALL = new InputRequestPolicy();

  private InputRequestPolicy() {}

  /** Returns the {@code inputResponses} for {@code inputRequests} (keys kept). */
  Map<String, Object> respond(Map<?, ?> inputRequests) {
    Map<String, Object> responses = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : inputRequests.entrySet()) {
      Object request = entry.getValue();
      Object method = request instanceof Map<?, ?> ? ((Map<?, ?>) request).get("method") : null;
      if ("elicitation/create".equals(method)) {
        responses.put(String.valueOf(entry.getKey()), Map.of("action", "decline"));
      }
    }
    return responses;
  }
}
