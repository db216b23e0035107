package io.github.mcprunner.conformance;

import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.oauth.AuthorizationTarget;
import io.github.mcprunner.headers.oauth.ClientAuthentication;
import io.github.mcprunner.headers.oauth.CrossAppAccessHeadersProvider;
import io.github.mcprunner.headers.oauth.McpAuthorizationHeadersProvider;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What each conformance scenario needs from the runner's configuration: which header providers,
 * which run context. Everything else (initialize, tools, the session) is the same for all. The
 * providers are the library's own, configured as a service would configure them.
 */
final class Scenarios {
  /** Where the suite's authorization servers send the user back (never opened: see below). */
  static final URI REDIRECT_URI = URI.create("http://localhost:3000/callback");

  /** The identity of the user the authorization code scenarios sign in. */
  static final String USER = "conformance-user";

  /** The client id metadata document URL the suite's authorization servers accept (SEP-991). */
  static final URI CLIENT_METADATA_DOCUMENT =
      URI.create("https://conformance-test.local/client-metadata.json");

  /**
   * The configuration of one scenario.
   *
   * @param description what is configured, for the log (no secret)
   * @param providers the header providers to register
   * @param options the run's options (context such as the user's token)
   */
  record Setup(String description, List<McpHeaderProvider> providers, RunOptions options) {
    Setup {
      providers = List.copyOf(providers);
    }

    static Setup plain() {
      return new Setup("no header providers", List.of(), RunOptions.defaults());
    }

    static Setup with(String description, McpHeaderProvider provider) {
      return new Setup(description, List.of(provider), RunOptions.defaults());
    }

    /**
     * A setup whose run belongs to {@link #USER}: the authorization code grant keeps tokens per run
     * identity and serves no run without one.
     */
    static Setup forUser(String description, McpHeaderProvider provider) {
      return new Setup(description, List.of(provider), RunOptions.builder().identity(USER).build());
    }
  }

  private Scenarios() {}

  /**
   * Returns the configuration of {@code context}'s scenario: none for the plain protocol scenarios,
   * the MCP authorization discovery provider for {@code auth/*} (client credentials when the suite
   * hands out a client secret or key, else the authorization code grant with the {@link
   * HeadlessUserAgent}), cross-app access for its scenario.
   *
   * @throws IllegalArgumentException if a setting the scenario needs is missing
   */
  static Setup setupFor(ScenarioContext context, URI server) {
    String scenario = context.scenario();
    switch (scenario) {
      case "auth/client-credentials-basic":
        return Setup.with(
            "MCP authorization discovery, client credentials, client_secret_basic",
            McpAuthorizationHeadersProvider.clientCredentials(
                    ClientAuthentication.clientSecretBasic(
                        context.require("client_id"), context.require("client_secret")))
                // The suite's authorization server listens on a random port: no allowlist can name
                // it, so this test client opts out. A service lists its authorization servers.
                .trustAnyAuthorizationServer()
                .build());
      case "auth/client-credentials-jwt":
        return Setup.with(
            "MCP authorization discovery, client credentials, private_key_jwt",
            McpAuthorizationHeadersProvider.clientCredentials(
                    ClientAuthentication.privateKeyJwtPem(
                        context.require("client_id"), context.require("private_key_pem"), null))
                .build());
      case "auth/cross-app-access-complete-flow":
        return crossAppAccess(context);
      case "auth/pre-registration":
        return Setup.forUser(
            "MCP authorization discovery, authorization code, pre-registered client",
            McpAuthorizationHeadersProvider.authorizationCode(userAgent(), REDIRECT_URI)
                .clientAuthentication(
                    ClientAuthentication.clientSecretBasic(
                        context.require("client_id"), context.require("client_secret")))
                // Random port of the suite's authorization server: opt out of the allowlist.
                .trustAnyAuthorizationServer()
                .build());
      default:
        if (scenario.startsWith("elicitation")) {
          return new Setup(
              "no header providers; an input handler that accepts each form with its defaults",
              List.of(),
              RunOptions.builder().inputHandler(Scenarios::acceptWithDefaults).build());
        }
        if (scenario.startsWith("auth/")) {
          return Setup.forUser(
              "MCP authorization discovery, authorization code with a headless user agent",
              McpAuthorizationHeadersProvider.authorizationCode(userAgent(), REDIRECT_URI)
                  .clientMetadataDocument(CLIENT_METADATA_DOCUMENT)
                  .build());
        }
        return Setup.plain();
    }
  }

  private static Setup crossAppAccess(ScenarioContext context) {
    CrossAppAccessHeadersProvider provider =
        CrossAppAccessHeadersProvider.builder()
            .idpTokenEndpoint(URI.create(context.require("idp_token_endpoint")))
            .idpPublicClient(context.require("idp_client_id"))
            // The suite's authorization server listens on a random port: no allowlist can name
            // it, so this test client opts out. A service lists its authorization servers.
            .authorizationTargets(
                AuthorizationTarget.discovery().trustAnyAuthorizationServer().build())
            .clientAuthentication(
                ClientAuthentication.clientSecretBasic(
                    context.require("client_id"), context.require("client_secret")))
            .build();
    RunOptions options =
        RunOptions.builder()
            .context(CrossAppAccessHeadersProvider.ID_TOKEN, context.require("idp_id_token"))
            .build();
    return new Setup(
        "cross-app access: ID token -> ID-JAG at the IdP -> JWT bearer grant at the MCP"
            + " authorization server (found by RFC 9728 metadata)",
        List.of(provider),
        options);
  }

  /**
   * The user of the elicitation scenarios: accepts each question without changing a field, as a
   * user who submits a form shown with its defaults; the runner fills the defaults in (SEP-1034).
   */
  private static CompletionStage<InputResponse> acceptWithDefaults(InputRequest request) {
    return CompletableFuture.completedFuture(InputResponse.accept());
  }

  private static io.github.mcprunner.headers.oauth.UserAuthorization userAgent() {
    HeadlessUserAgent agent = new HeadlessUserAgent();
    return (authorizationUrl, context) -> agent.authorize(authorizationUrl);
  }
}
