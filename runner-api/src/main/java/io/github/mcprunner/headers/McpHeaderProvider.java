package io.github.mcprunner.headers;

import org.jspecify.annotations.Nullable;

/**
 * Derives HTTP headers for MCP requests from a run's context: an OAuth token exchanged for the
 * server's audience, a tenant's API key looked up in a table, a company SSO ticket.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/io.github.mcprunner.headers.McpHeaderProvider}, e.g. with
 * {@code @AutoService(McpHeaderProvider.class)}) or handed to the runner builder. They form layer 3
 * of the precedence chain: above runner defaults and server static headers, below per-run headers.
 * They run in ascending {@link #order()}, ties broken by {@link #name()}; each sees the headers
 * resolved so far in {@link HeaderContext#resolvedSoFar()}, and a later provider wins over an
 * earlier one. A provider may remove a lower header with {@link McpHeaders.Builder#remove(String)}.
 *
 * <p><b>Threading and cost.</b> {@link #headers(HeaderContext)} is called concurrently, from many
 * threads and runs, for <em>every</em> HTTP request sent to an MCP server (initialize,
 * notifications, tool calls, the GET event stream, DELETE). Implementations must be thread-safe and
 * cheap: cache tokens inside the provider and refresh them ahead of expiry.
 *
 * <p><b>Failure.</b> A provider that throws fails the request closed: nothing is sent and the run
 * fails with an error naming the provider and the server (never a header value). A provider that
 * declares itself {@link #optional()} is skipped with a warning instead. Returning a protected
 * header ({@link McpHeaders#isProtected(String)}) or an invalid one fails the request the same way.
 *
 * <pre>{@code
 * @AutoService(McpHeaderProvider.class)
 * public final class TenantIdProvider implements McpHeaderProvider {
 *   public String name() { return "tenant-id"; }
 *   public McpHeaders headers(HeaderContext context) {
 *     return context.get(ContextKey.TENANT_ID)
 *         .map(tenant -> McpHeaders.of("X-Tenant-Id", tenant))
 *         .orElse(McpHeaders.empty());
 *   }
 * }
 * }</pre>
 */
public interface McpHeaderProvider {

  /** Returns the provider's name, unique among providers, used for ordering and in errors. */
  String name();

  /**
   * Returns the provider's position in the chain: lower runs first, higher applies later and wins.
   * Defaults to 0.
   */
  default int order() {
    return 0;
  }

  /**
   * Returns the headers to add to (or remove from) the request described by {@code context}; an
   * empty {@link McpHeaders} contributes nothing. Called concurrently for every HTTP request.
   *
   * @throws RuntimeException to fail the request closed (the message must hold no secret)
   */
  McpHeaders headers(HeaderContext context);

  /**
   * Returns whether a failure of this provider may be skipped (logged as a warning) instead of
   * failing the request. Defaults to {@code false}: fail closed.
   */
  default boolean optional() {
    return false;
  }

  /**
   * Returns whether this provider contributes to requests sent to {@code server}. Defaults to all.
   */
  default boolean appliesTo(McpServerRef server) {
    return true;
  }

  /**
   * Called when a server this provider {@linkplain #appliesTo applies to} answered HTTP 401 (or
   * 403) to a request, whether or not this provider contributed headers to it: a provider that
   * learns the server's authorization server from the challenge (RFC 9728 {@code
   * resource_metadata}) has nothing to contribute before the first 401. Return {@code true} when a
   * retry may succeed (for example after dropping a cached token, or after obtaining a first one):
   * the request is then retried once with freshly resolved headers. A provider with nothing to do
   * returns {@code false}, the default. Called from the run's thread; it may block on network
   * calls. The context's {@link HeaderContext#resolvedSoFar()} holds only the layers below the
   * providers (runner defaults and the server's static headers), not other providers' headers: a
   * provider keyed by another provider's output must not rely on it here.
   *
   * @param context the context of the refused request
   * @param wwwAuthenticate the {@code WWW-Authenticate} header of the response, if any
   */
  default boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    return false;
  }
}
