/**
 * OAuth 2.0 header providers for MCP servers: {@link
 * io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider} exchanges the signed-in user's
 * token (RFC 8693) for a token meant for one MCP server, {@link
 * io.github.mcprunner.headers.oauth.ClientCredentialsHeadersProvider} obtains a service token
 * (client credentials grant), {@link
 * io.github.mcprunner.headers.oauth.CrossAppAccessHeadersProvider} obtains a token by cross-app
 * access (the user's ID token exchanged at the enterprise IdP for an ID-JAG, then the JWT bearer
 * grant at the MCP server's authorization server), and {@link
 * io.github.mcprunner.headers.oauth.McpAuthorizationHeadersProvider} discovers each MCP server's
 * authorization server from its 401 challenge (MCP authorization specification). All cache tokens,
 * make one token request (or pair) for many concurrent runs, refresh ahead of expiry and never send
 * an expired token.
 */
@NullMarked
package io.github.mcprunner.headers.oauth;

import org.jspecify.annotations.NullMarked;
