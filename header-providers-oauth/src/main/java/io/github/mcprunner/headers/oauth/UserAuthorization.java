package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.headers.HeaderContext;
import java.net.URI;

/**
 * Lets a user sign in at an MCP server's authorization server, for {@link
 * McpAuthorizationHeadersProvider#authorizationCode}: given the authorization request URL, sends
 * the user's browser there and returns the redirect URI the authorization server sent the browser
 * back to (the provider's redirect URI with {@code code} and {@code state}, or with {@code error}).
 *
 * <p>A service typically remembers a pending authorization per user (keyed by the {@code state}
 * query parameter of the URL, or by {@link HeaderContext#identity()}), shows the URL to the user,
 * and completes when its own callback endpoint is hit:
 *
 * <pre>{@code
 * UserAuthorization browser = (authorizationUrl, context) -> {
 *   CompletableFuture<URI> callback = pending.register(authorizationUrl);   // keyed by state
 *   notifier.askToSignIn(context.identity().orElseThrow(), authorizationUrl);
 *   return callback.get(5, TimeUnit.MINUTES);     // completed by the callback endpoint
 * };
 * }</pre>
 *
 * <p>It is called on the run's thread from {@code onUnauthorized}, which blocks until it returns:
 * bound the wait. It may be called concurrently for different identities. The provider checks the
 * returned {@code state} and never logs the URL's query, the code or the returned URI.
 */
@FunctionalInterface
public interface UserAuthorization {

  /**
   * Has the user authorize and returns where the authorization server redirected back to.
   *
   * @param authorizationUrl the authorization request (response_type=code, client_id, redirect_uri,
   *     scope, state, PKCE S256 code_challenge, resource)
   * @param context the request the MCP server refused, with the run's identity and context values
   * @return the redirect URI with {@code code} and {@code state} (or {@code error})
   * @throws InterruptedException if interrupted while waiting for the user
   * @throws RuntimeException to abandon the authorization (the message must hold no secret)
   */
  URI authorize(URI authorizationUrl, HeaderContext context) throws InterruptedException;
}
