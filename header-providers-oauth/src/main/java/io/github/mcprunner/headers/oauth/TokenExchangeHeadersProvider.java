package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointClient;
import io.github.mcprunner.headers.oauth.internal.TokenHeaderResolver;
import org.jspecify.annotations.Nullable;

/**
 * Sends each MCP server a token for the run's user and for that server: the user's own token (the
 * run-context value {@link ContextKey#SUBJECT_TOKEN}) is exchanged at the authorization server
 * (OAuth 2.0 Token Exchange, RFC 8693) for a token whose {@code audience} and RFC 8707 {@code
 * resource} are the server's canonical URI, sent as {@code Authorization: Bearer …}. The user's own
 * token is never sent to an MCP server.
 *
 * <pre>{@code
 * McpHeaderProvider exchange = TokenExchangeHeadersProvider.builder()
 *     .issuer(URI.create("https://login.example.com/realms/acme"))
 *     .clientAuthentication(ClientAuthentication.clientSecretBasic("mcp-runner", secret))
 *     .scope("mcp.tools")
 *     .build();
 * // per run:
 * RunOptions.builder().context(ContextKey.SUBJECT_TOKEN, userAccessToken).build();
 * }</pre>
 *
 * <p>Tokens are cached per subject token, client, audience, resource and scope. Any number of
 * concurrent requests needing the same token make one token request; a token is refreshed ahead of
 * expiry (see {@link OAuthProviderBuilder#clockSkew(java.time.Duration)}) and an expired one is
 * never sent. When a server answers 401 {@code invalid_token}, {@link #onUnauthorized} drops the
 * token so that the retry gets a fresh one.
 *
 * <p>A run without a subject token fails its requests to the servers this provider applies to
 * ({@code run has no subject token}), unless {@link Builder#requireSubjectToken(boolean)} is off:
 * then the provider contributes nothing to that run, and a provider ordered before it (say {@link
 * ClientCredentialsHeadersProvider}) may supply the header.
 *
 * <p>Thread-safe. {@link #toString()} shows no secret.
 */
public final class TokenExchangeHeadersProvider extends ResolvingProvider<TokenHeaderResolver> {
  /** Default name: {@code oauth-token-exchange}. */
  public static final String DEFAULT_NAME = "oauth-token-exchange";

  /**
   * Default order: 1100, after {@link ClientCredentialsHeadersProvider#DEFAULT_ORDER}, so a user's
   * token wins over a service token for the same server.
   */
  public static final int DEFAULT_ORDER = 1100;

  private TokenExchangeHeadersProvider(Builder builder) {
    super(
        builder.name(),
        builder.order(),
        builder.buildResolver(
            new TokenEndpointClient.Exchange(
                nimbus(builder.subjectTokenType),
                builder.requestedTokenType == null ? null : nimbus(builder.requestedTokenType)),
            new TokenHeaderResolver.SubjectPolicy(
                builder.subjectTokenKey, builder.requireSubjectToken)),
        "TokenExchangeHeadersProvider{name="
            + builder.name()
            + ", tokenEndpoint="
            + builder.describeEndpoint()
            + ", client="
            + builder.describeClient()
            + ", subjectTokenType="
            + builder.subjectTokenType.uri()
            + "}");
  }

  private static TokenTypeURI nimbus(TokenType type) {
    switch (type) {
      case ACCESS_TOKEN:
        return TokenTypeURI.ACCESS_TOKEN;
      case ID_TOKEN:
        return TokenTypeURI.ID_TOKEN;
      case JWT:
        return TokenTypeURI.JWT;
      case REFRESH_TOKEN:
        return TokenTypeURI.REFRESH_TOKEN;
    }
    throw new AssertionError(type);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link TokenExchangeHeadersProvider}; see {@link OAuthProviderBuilder} for the shared
   * settings. Token exchange defaults: subject token from {@link ContextKey#SUBJECT_TOKEN} of type
   * {@link TokenType#ACCESS_TOKEN}, no {@code requested_token_type}, audience and resource the
   * server's canonical URI, a subject token required.
   */
  public static final class Builder extends OAuthProviderBuilder<Builder> {
    private ContextKey<String> subjectTokenKey = ContextKey.SUBJECT_TOKEN;
    private TokenType subjectTokenType = TokenType.ACCESS_TOKEN;
    private @Nullable TokenType requestedTokenType;
    private boolean requireSubjectToken = true;

    private Builder() {
      super(DEFAULT_NAME, DEFAULT_ORDER, true);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Sets the type of the subject tokens runs carry. Default {@link TokenType#ACCESS_TOKEN}. */
    public Builder subjectTokenType(TokenType subjectTokenType) {
      this.subjectTokenType = requireNonNull(subjectTokenType, "subjectTokenType");
      return this;
    }

    /**
     * Sets the {@code requested_token_type}. By default none is sent and the authorization server
     * picks (usually an access token).
     */
    public Builder requestedTokenType(TokenType requestedTokenType) {
      this.requestedTokenType = requireNonNull(requestedTokenType, "requestedTokenType");
      return this;
    }

    /**
     * Sets the run-context key holding the subject token. Default {@link ContextKey#SUBJECT_TOKEN}.
     */
    public Builder subjectTokenKey(ContextKey<String> subjectTokenKey) {
      this.subjectTokenKey = requireNonNull(subjectTokenKey, "subjectTokenKey");
      return this;
    }

    /**
     * Sets whether a run without a subject token fails its requests to the servers this provider
     * applies to (the default: fail closed) or gets nothing from this provider.
     */
    public Builder requireSubjectToken(boolean requireSubjectToken) {
      this.requireSubjectToken = requireSubjectToken;
      return this;
    }

    /**
     * Returns the provider. No network access happens here: discovery and token requests happen on
     * the first request that needs a token.
     *
     * @throws IllegalStateException if the client authentication, or the token endpoint or issuer,
     *     is missing, or both are set
     * @throws IllegalArgumentException if a URL is not acceptable (plain http off loopback, not
     *     absolute) or a setting is out of range
     */
    public TokenExchangeHeadersProvider build() {
      return new TokenExchangeHeadersProvider(this);
    }
  }
}
