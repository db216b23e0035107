package io.github.mcprunner.headers.oauth.internal;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import org.jspecify.annotations.Nullable;

/**
 * What an OAuth provider delegates to: the servers it applies to, the headers of a request, and
 * what a refusal means. One per grant family ({@link TokenHeaderResolver}, {@link
 * McpAuthorizationResolver}). Not public API.
 */
public interface HeaderResolver {
  /** See {@link io.github.mcprunner.headers.McpHeaderProvider#appliesTo}. */
  boolean appliesTo(McpServerRef server);

  /** See {@link io.github.mcprunner.headers.McpHeaderProvider#headers}. */
  McpHeaders headers(HeaderContext context);

  /** See {@link io.github.mcprunner.headers.McpHeaderProvider#onUnauthorized}. */
  boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate);
}
