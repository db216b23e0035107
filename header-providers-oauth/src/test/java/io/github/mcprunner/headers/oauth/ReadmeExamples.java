package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.Agent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaderProvider;
import java.net.URI;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Java blocks of this module's README, compiled by the build (they need real identity
 * providers, so no test runs them here; the end-to-end tests of this module do the same against
 * mock-oauth2-server); ReadmeSnippetsTest in examples checks that the README shows them as they are
 * here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  /** Your service's pending sign-ins, completed by its OAuth callback endpoint. */
  interface PendingSignIns {
    CompletableFuture<URI> register(URI authorizationUrl);
  }

  /** How your service tells a user to sign in (a push message, a link in the chat, ...). */
  interface Notifier {
    void askToSignIn(String identity, URI authorizationUrl);
  }

  static McpHeaderProvider tokenExchange(
      Runner runner, Agent agent, String prompt, String clientSecret, String userAccessToken) {
    // snippet:token-exchange
    McpHeaderProvider exchange =
        TokenExchangeHeadersProvider.builder()
            .issuer(URI.create("https://login.example.com/realms/acme")) // or .tokenEndpoint(...)
            .clientAuthentication(
                ClientAuthentication.clientSecretBasic("mcp-runner", clientSecret))
            .subjectTokenType(TokenType.ACCESS_TOKEN) // default; or ID_TOKEN, JWT
            .scope("mcp.tools") // optional
            .target("crm", TokenTarget.builder().audience("api://crm").scope("crm.read").build())
            .build();

    // each run carries the user's token as context, never as a header:
    runner.run(
        agent,
        prompt,
        RunOptions.builder().context(ContextKey.SUBJECT_TOKEN, userAccessToken).build());
    // end-snippet
    return exchange;
  }

  static McpHeaderProvider clientCredentials(PrivateKey privateKey) {
    // snippet:client-credentials
    McpHeaderProvider service =
        ClientCredentialsHeadersProvider.builder()
            .tokenEndpoint(URI.create("https://login.example.com/oauth2/token"))
            .clientAuthentication(
                ClientAuthentication.privateKeyJwt("batch-agent", privateKey, "key-1"))
            .servers("crm", "https://tickets.example.com/mcp") // default: every server
            .target("crm", TokenTarget.builder().audience("api://crm").build())
            .build();
    // end-snippet
    return service;
  }

  static McpHeaderProvider crossAppAccess(
      Runner runner,
      Agent agent,
      String prompt,
      String idpSecret,
      String asSecret,
      String idToken) {
    // snippet:cross-app-access
    McpHeaderProvider xaa =
        CrossAppAccessHeadersProvider.builder()
            // the enterprise IdP
            .idpIssuer(URI.create("https://login.acme.example")) // or .idpTokenEndpoint(...)
            .idpClientAuthentication(ClientAuthentication.clientSecretBasic("agent-app", idpSecret))
            // .idpPublicClient("agent-app")  // or: client_id only, no secret
            // the MCP server's authorization server
            .issuer(URI.create("https://auth.tickets.example.com")) // token endpoint by RFC 8414
            .clientAuthentication(
                ClientAuthentication.clientSecretBasic("agent-at-tickets", asSecret))
            .scope("tickets.read") // optional
            .build();

    // each run carries the signed-in user's OpenID Connect ID token:
    runner.run(
        agent,
        prompt,
        RunOptions.builder().context(CrossAppAccessHeadersProvider.ID_TOKEN, idToken).build());
    // end-snippet
    return xaa;
  }

  static McpHeaderProvider discovery(String idpSecret, String secret) {
    // snippet:discovery
    McpHeaderProvider xaa =
        CrossAppAccessHeadersProvider.builder()
            .idpIssuer(URI.create("https://login.acme.example"))
            .idpClientAuthentication(ClientAuthentication.clientSecretBasic("agent-app", idpSecret))
            .authorizationTargets(
                AuthorizationTarget.discovery() // no issuer per server
                    .authorizationServers(
                        URI.create("https://auth.tickets.example.com"),
                        URI.create("https://auth.crm.example.com"))
                    .build()) // also allowInsecureHttp, allowLoopbackHttp, timeout
            .clientAuthentication(ClientAuthentication.clientSecretBasic("agent", secret))
            .build();
    // end-snippet
    return xaa;
  }

  static List<McpHeaderProvider> mcpAuthorization(
      Runner runner,
      Agent agent,
      String prompt,
      PrivateKey key,
      String secret,
      PendingSignIns pending,
      Notifier notifier,
      String userId) {
    // snippet:mcp-authorization
    // No user: client credentials with the authorization server each server names.
    McpHeaderProvider service =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthentication.privateKeyJwt("my-agent", key, "key-1"))
            .build();

    // With a client secret, only at the listed authorization servers (required):
    McpHeaderProvider withSecret =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthentication.clientSecretBasic("my-agent", secret))
            .authorizationServers(URI.create("https://auth.example.com"))
            .build();

    // A user signs in: authorization code with PKCE S256; one token per server and run identity.
    UserAuthorization browser =
        (authorizationUrl, context) -> {
          CompletableFuture<URI> back = pending.register(authorizationUrl); // by your callback
          notifier.askToSignIn(context.identity().orElseThrow(), authorizationUrl);
          return back.orTimeout(5, TimeUnit.MINUTES).join();
        };
    McpHeaderProvider users =
        McpAuthorizationHeadersProvider.authorizationCode(
                browser, URI.create("https://app.example.com/oauth/callback"))
            .clientMetadataDocument(URI.create("https://app.example.com/oauth/client.json"))
            .build();
    runner.run(agent, prompt, RunOptions.builder().identity(userId).build());
    // end-snippet
    return List.of(service, withSecret, users);
  }
}
