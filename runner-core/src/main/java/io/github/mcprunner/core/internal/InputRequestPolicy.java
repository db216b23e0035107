package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How the runner answers the input requests of an {@code input_required} result (MCP 2026-07-28
 * multi round-trip requests), and which client capabilities every stateless request declares.
 *
 * <p>Each {@code elicitation/create} goes to the run's own input handler through {@link
 * Elicitation#answer}, the path the session protocol's questions take too (URL check, timeout,
 * SEP-1034 defaults, the run's events); a run without a handler declines ({@code {"action":
 * "decline"}}, the answer the revision gives a user who says no), and so does a question the runner
 * refuses to show. Sampling and roots requests, deprecated in this revision and not declared in the
 * capabilities, get no answer, which the server reads as declined. Not public API.
 */
final class InputRequestPolicy {

  /** The capabilities every stateless request declares: form elicitation (answered above). */
  static final Map<String, Object> CLIENT_CAPABILITIES =
      Map.of("elicitation", Map.of("form", Map.of()));

  private final McpServerSpec server;
  private final RunScope run;
  private final McpJsonMapper json;

  private InputRequestPolicy(McpServerSpec server, RunScope run, McpJsonMapper json) {
    this.server = server;
    this.run = run;
    this.json = json;
  }

  /** Returns the policy answering {@code server}'s questions to the user of {@code run}. */
  static InputRequestPolicy forRun(McpServerSpec server, RunScope run, McpJsonMapper json) {
    return new InputRequestPolicy(server, run, json);
  }

  /**
   * Returns the {@code inputResponses} for {@code inputRequests} (keys kept), once every question
   * is answered; never completes exceptionally (a refused question is declined).
   */
  CompletableFuture<Map<String, Object>> respond(Map<?, ?> inputRequests) {
    Map<String, Object> responses = new LinkedHashMap<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (Map.Entry<?, ?> entry : inputRequests.entrySet()) {
      Object request = entry.getValue();
      if (!(request instanceof Map<?, ?> asked)
          || !"elicitation/create".equals(asked.get("method"))) {
        continue;
      }
      String key = String.valueOf(entry.getKey());
      Map<String, Object> params = new LinkedHashMap<>();
      if (asked.get("params") instanceof Map<?, ?> given) {
        given.forEach((name, value) -> params.put(String.valueOf(name), value));
      }
      // A key in order of the requests, filled in when its answer comes (maybe on another thread
      // while this loop still runs: every access holds the map's lock).
      synchronized (responses) {
        responses.put(key, Elicitation.declined());
      }
      pending.add(
          Elicitation.answer(server, run, params, json)
              .toCompletableFuture()
              .handle(
                  (answer, refused) -> {
                    synchronized (responses) {
                      responses.put(key, refused == null ? answer : Elicitation.declined());
                    }
                    return null;
                  }));
    }
    return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            done -> {
              synchronized (responses) {
                return new LinkedHashMap<>(responses);
              }
            });
  }
}
