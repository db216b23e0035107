package io.github.mcprunner.core.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import java.util.List;

/**
 * The outcome of {@link HeaderChain#resolve(HeaderRequest)}.
 *
 * @param headers the headers to send: final, without removal markers, no protected header
 * @param contributors the providers that returned non-empty headers, in chain order (for
 *     diagnostics; a 401 asks every provider that applies, see {@link HeaderChain#onUnauthorized})
 */
public record ResolvedHeaders(McpHeaders headers, List<McpHeaderProvider> contributors) {

  /** Checks that no part is null and makes {@code contributors} an unmodifiable copy. */
  public ResolvedHeaders {
    requireNonNull(headers, "headers");
    contributors = List.copyOf(contributors);
  }
}
