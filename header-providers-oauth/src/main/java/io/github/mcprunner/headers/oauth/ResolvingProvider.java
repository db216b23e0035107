package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.HeaderResolver;
import org.jspecify.annotations.Nullable;

/**
 * The skeleton of the OAuth providers: a name, an order, a description without secrets, and a
 * {@link HeaderResolver} that does the work. Each provider is this plus its builder. Not public API
 * (package-private: its public methods are the {@link McpHeaderProvider} ones).
 *
 * @param <R> the resolver type
 */
abstract class ResolvingProvider<R extends HeaderResolver> implements McpHeaderProvider {
  private final String name;
  private final int order;
  private final R resolver;
  private final String description;

  ResolvingProvider(String name, int order, R resolver, String description) {
    this.name = requireNonNull(name, "name");
    this.order = order;
    this.resolver = requireNonNull(resolver, "resolver");
    this.description = requireNonNull(description, "description");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int order() {
    return order;
  }

  /**
   * Returns {@code Authorization: Bearer <token>} for the request's server; blocks while a token is
   * requested, at most for the configured timeouts and retries.
   *
   * @throws io.github.mcprunner.HeaderProviderException if the run lacks what the grant needs (a
   *     subject token, an identity), or no token could be obtained ({@link OAuthTokenException})
   */
  @Override
  public final McpHeaders headers(HeaderContext context) {
    return resolver.headers(context);
  }

  @Override
  public final boolean appliesTo(McpServerRef server) {
    return resolver.appliesTo(requireNonNull(server, "server"));
  }

  /**
   * Returns whether a retry may succeed after the server refused a request: a token the server's
   * challenge says is invalid is dropped (the retry gets a new one); a grant that discovers the
   * authorization server from the challenge obtains its first token here. Any other refusal returns
   * false and keeps the token.
   */
  @Override
  public final boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    return resolver.onUnauthorized(context, wwwAuthenticate);
  }

  /** Returns the resolver, for tests. */
  final R resolver() {
    return resolver;
  }

  /** Returns the provider's kind, name and settings, without any secret. */
  @Override
  public final String toString() {
    return description;
  }
}
