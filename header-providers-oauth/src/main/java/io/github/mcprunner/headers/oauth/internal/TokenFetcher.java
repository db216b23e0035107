package io.github.mcprunner.headers.oauth.internal;

/** Obtains a new token for a cache key. Called by {@link TokenCache}; not public API. */
@FunctionalInterface
public interface TokenFetcher {

  /**
   * Returns a new token for {@code key}.
   *
   * @param serverName the MCP server the token is first needed for, for messages
   * @throws TokenFetchException if no token could be obtained
   */
  IssuedToken fetch(CacheKey key, String serverName) throws TokenFetchException;
}
