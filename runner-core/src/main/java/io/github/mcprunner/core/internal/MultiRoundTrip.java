package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.internal.http.StatelessHttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A request of MCP 2026-07-28 that may take several rounds: while the server answers {@code
 * resultType: "input_required"}, the original request is sent again, as a new request (new JSON-RPC
 * id, headers resolved again), with the {@code inputResponses} the {@link InputRequestPolicy} gives
 * and the server's {@code requestState} echoed exactly (none when it sent none), for at most {@link
 * McpServerSpec#maxInputRounds()} rounds; past them the call fails with an error naming the server,
 * the method, the tool and that bound. A result without {@code resultType} is complete. Not public
 * API.
 */
final class MultiRoundTrip {

  private MultiRoundTrip() {}

  static CompletableFuture<Map<String, Object>> run(
      McpServerSpec server,
      StatelessHttpClient client,
      String method,
      Map<String, Object> params,
      String name,
      Map<String, String> paramHeaders,
      StatelessHttpClient.HeaderSource headers,
      InputRequestPolicy policy) {
    return round(1, server, client, method, params, params, name, paramHeaders, headers, policy);
  }

  private static CompletableFuture<Map<String, Object>> round(
      int round,
      McpServerSpec server,
      StatelessHttpClient client,
      String method,
      Map<String, Object> original,
      Map<String, Object> params,
      String name,
      Map<String, String> paramHeaders,
      StatelessHttpClient.HeaderSource headers,
      InputRequestPolicy policy) {
    return client
        .send(method, params, name, name, paramHeaders, headers)
        .thenCompose(
            result -> {
              if (!"input_required".equals(result.get("resultType"))) {
                return CompletableFuture.completedFuture(result);
              }
              int bound = server.maxInputRounds();
              if (round >= bound) {
                return CompletableFuture.failedFuture(
                    new McpServerException(
                        server.name(),
                        server.uri(),
                        "still asked for input after "
                            + round
                            + (round == 1 ? " round" : " rounds")
                            + " of "
                            + method
                            + " '"
                            + name
                            + "'; gave up (maxInputRounds of the server is "
                            + bound
                            + ")",
                        null));
              }
              Map<String, Object> next = new LinkedHashMap<>(original);
              Object state = result.get("requestState");
              if (state instanceof String) {
                next.put("requestState", state);
              }
              Object requests = result.get("inputRequests");
              CompletableFuture<Map<String, Object>> answered =
                  requests instanceof Map<?, ?>
                      ? policy.respond((Map<?, ?>) requests)
                      : CompletableFuture.completedFuture(Map.of());
              return answered.thenCompose(
                  responses -> {
                    if (!responses.isEmpty()) {
                      next.put("inputResponses", responses);
                    }
                    return round(
                        round + 1,
                        server,
                        client,
                        method,
                        original,
                        next,
                        name,
                        paramHeaders,
                        headers,
                        policy);
                  });
            });
  }
}
