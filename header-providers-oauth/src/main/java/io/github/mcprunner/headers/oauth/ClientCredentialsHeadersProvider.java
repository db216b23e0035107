package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.headers.oauth.internal.TokenHeaderResolver;

/**
 * Sends each MCP server a service token obtained with the OAuth 2.0 client credentials grant, for
 * runs that act for no user (batch jobs, service agents). The token is requested per server: RFC
 * 8707 {@code resource} the server's canonical URI by default, optionally an {@code audience} and a
 * scope per server ({@link OAuthProviderBuilder#target}). It is sent as {@code Authorization:
 * Bearer …}.
 *
 * <pre>{@code
 * McpHeaderProvider service = ClientCredentialsHeadersProvider.builder()
 *     .tokenEndpoint(URI.create("https://login.example.com/oauth2/token"))
 *     .clientAuthentication(ClientAuthentication.privateKeyJwt("batch-agent", key, "key-1"))
 *     .target("crm", TokenTarget.builder().audience("api://crm").scope("crm.read").build())
 *     .build();
 * }</pre>
 *
 * <p>Tokens are cached per client, audience, resource and scope, shared by all runs; concurrent
 * requests needing the same token make one token request; tokens are refreshed ahead of expiry and
 * an expired one is never sent. When a server answers 401 {@code invalid_token}, {@link
 * #onUnauthorized} drops the token so that the retry gets a fresh one.
 *
 * <p>Thread-safe. {@link #toString()} shows no secret.
 */
public final class ClientCredentialsHeadersProvider extends ResolvingProvider<TokenHeaderResolver> {
  /** Default name: {@code oauth-client-credentials}. */
  public static final String DEFAULT_NAME = "oauth-client-credentials";

  /**
   * Default order: 1000, before {@link TokenExchangeHeadersProvider#DEFAULT_ORDER}, so that where
   * both apply a user's token wins.
   */
  public static final int DEFAULT_ORDER = 1000;

  private ClientCredentialsHeadersProvider(Builder builder) {
    super(
        builder.name(),
        builder.order(),
        builder.buildResolver(null, null),
        "ClientCredentialsHeadersProvider{name="
            + builder.name()
            + ", tokenEndpoint="
            + builder.describeEndpoint()
            + ", client="
            + builder.describeClient()
            + "}");
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link ClientCredentialsHeadersProvider}; see {@link OAuthProviderBuilder} for the
   * settings. Client credentials defaults: {@code resource} the server's canonical URI, no {@code
   * audience}.
   */
  public static final class Builder extends OAuthProviderBuilder<Builder> {
    private Builder() {
      super(DEFAULT_NAME, DEFAULT_ORDER, false);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Returns the provider. No network access happens here.
     *
     * @throws IllegalStateException if the client authentication, or the token endpoint or issuer,
     *     is missing, or both are set
     * @throws IllegalArgumentException if a URL is not acceptable or a setting is out of range
     */
    public ClientCredentialsHeadersProvider build() {
      return new ClientCredentialsHeadersProvider(this);
    }
  }
}
