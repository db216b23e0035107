package io.github.mcprunner.headers.oauth;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.CanonicalUri;
import io.github.mcprunner.headers.oauth.internal.ClientAuthenticator;
import io.github.mcprunner.headers.oauth.internal.CrossAppAccessFetcher;
import io.github.mcprunner.headers.oauth.internal.RemoteText;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointClient;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointResolver;
import io.github.mcprunner.headers.oauth.internal.TokenHeaderResolver;
import io.github.mcprunner.headers.oauth.internal.TokenRequestPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sends each MCP server an access token obtained by Enterprise-Managed Authorization, also called
 * cross-app access (the MCP authorization extension SEP-990, over the IETF draft "Identity
 * Assertion JWT Authorization Grant"). The user signed in to the application at the company's
 * identity provider (IdP); with the user's OpenID Connect ID token the provider obtains, per user
 * and per MCP server:
 *
 * <ol>
 *   <li>at the IdP, by RFC 8693 token exchange, an Identity Assertion JWT Authorization Grant
 *       (ID-JAG) for the MCP server's authorization server ({@code audience} its issuer) and the
 *       MCP server ({@code resource} its canonical URI);
 *   <li>at the MCP server's authorization server, by the RFC 7523 JWT bearer grant with the ID-JAG
 *       as assertion, an access token, sent as {@code Authorization: Bearer …}.
 * </ol>
 *
 * <p>The user consents to nothing and no browser is involved: the IdP's policy decides.
 *
 * <pre>{@code
 * McpHeaderProvider xaa = CrossAppAccessHeadersProvider.builder()
 *     .idpIssuer(URI.create("https://login.acme.example")) // or .idpTokenEndpoint(...)
 *     .idpClientAuthentication(ClientAuthentication.clientSecretBasic("agent-app", idpSecret))
 *     .issuer(URI.create("https://auth.crm.example.com")) // the MCP authorization server
 *     .clientAuthentication(ClientAuthentication.clientSecretBasic("agent-at-crm", crmSecret))
 *     .scope("tickets.read")
 *     .build();
 * // per run, the signed-in user's ID token:
 * RunOptions.builder().context(CrossAppAccessHeadersProvider.ID_TOKEN, idToken).build();
 * }</pre>
 *
 * <p>Which authorization server serves which MCP server is a {@link AuthorizationTarget.Locator}:
 * by default one authorization server ({@link Builder#issuer(URI)}, optionally {@link
 * Builder#tokenEndpoint(URI)}) with each server's canonical URI as resource; {@link
 * Builder#authorizationTargets(AuthorizationTarget.Locator)} plugs in another, such as RFC 9728
 * protected resource metadata discovery ({@link AuthorizationTarget#discovery()}, which with a
 * client secret needs the allowlist of authorization servers the secret may be sent to).
 *
 * <p>Access tokens are cached per ID token, authorization server, resource and scope, shared by all
 * of a user's runs; concurrent requests needing the same token make one pair of token requests;
 * tokens are refreshed ahead of expiry and an expired one is never sent. The ID-JAG is used for one
 * JWT bearer grant and not kept. When a server answers 401 {@code invalid_token}, {@link
 * #onUnauthorized} drops the token (and the server's located target) so that the retry gets a fresh
 * one.
 *
 * <p>Failures are {@link OAuthTokenException}s whose message names the step: {@code token exchange
 * for an ID-JAG at the enterprise IdP failed: …} or {@code JWT bearer grant at the MCP
 * authorization server failed: …}, with the OAuth error code. No token, ID token, ID-JAG or secret
 * is ever logged or put in a message.
 *
 * <p>Thread-safe. {@link #toString()} shows no secret.
 */
public final class CrossAppAccessHeadersProvider extends ResolvingProvider<TokenHeaderResolver> {
  /** Default name: {@code oauth-cross-app-access}. */
  public static final String DEFAULT_NAME = "oauth-cross-app-access";

  /**
   * Default order: 1200, after {@link TokenExchangeHeadersProvider#DEFAULT_ORDER}: where both apply
   * to a server, the cross-app access token wins.
   */
  public static final int DEFAULT_ORDER = 1200;

  /**
   * The run-context key of the signed-in user's OpenID Connect ID token, the default source of the
   * subject token exchanged at the IdP. It is never sent to an MCP server. A separate key from
   * {@link ContextKey#SUBJECT_TOKEN} (often the user's access token) so that a run can carry both.
   */
  public static final ContextKey<String> ID_TOKEN = ContextKey.of("id_token", String.class);

  private CrossAppAccessHeadersProvider(Builder builder) {
    super(
        builder.name(),
        builder.order(),
        builder.buildCrossAppResolver(),
        "CrossAppAccessHeadersProvider{name="
            + builder.name()
            + ", idp="
            + builder.describeIdp()
            + ", idpClient="
            + builder.describeIdpClient()
            + ", authorizationServer="
            + builder.describeAuthorizationServer()
            + ", client="
            + builder.describeClient()
            + "}");
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link CrossAppAccessHeadersProvider}. The settings of {@link OAuthProviderBuilder}
   * are about the MCP authorization server: {@link #issuer(URI)} is its issuer identifier (the
   * ID-JAG's audience; its token endpoint is discovered unless {@link #tokenEndpoint(URI)} is set
   * too), {@link #clientAuthentication(ClientAuthentication)} how the runner authenticates there
   * (required), {@link #scope(String)} the scope asked for in both requests, {@link
   * #sendResource(boolean)} whether the JWT bearer grant sends {@code resource} too (on by default;
   * the token exchange always does). A {@link TokenTarget} may set a server's resource and scope;
   * audiences do not apply ({@link #sendAudience(boolean)} is not supported).
   *
   * <p>Required besides: the IdP's token endpoint or issuer, and how the runner identifies itself
   * there ({@link #idpClientAuthentication} or {@link #idpPublicClient}).
   */
  public static final class Builder extends OAuthProviderBuilder<Builder> {
    private @Nullable URI idpTokenEndpoint;
    private @Nullable URI idpIssuer;
    private @Nullable ClientAuthentication idpClientAuthentication;
    private @Nullable String idpPublicClientId;
    private ContextKey<String> idTokenKey = ID_TOKEN;
    private boolean requireIdToken = true;
    private AuthorizationTarget.@Nullable Locator locator;

    private Builder() {
      super(DEFAULT_NAME, DEFAULT_ORDER, false);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets the IdP's token endpoint, where the ID token is exchanged for an ID-JAG. It must be
     * {@code https}, or plain {@code http} to a loopback host (or with {@link
     * #allowInsecureHttp(boolean)}).
     */
    public Builder idpTokenEndpoint(URI idpTokenEndpoint) {
      this.idpTokenEndpoint = requireNonNull(idpTokenEndpoint, "idpTokenEndpoint");
      return this;
    }

    /**
     * Sets the IdP's issuer identifier; its token endpoint is discovered from its metadata (RFC
     * 8414, then OpenID Connect discovery) on the first token request.
     */
    public Builder idpIssuer(URI idpIssuer) {
      this.idpIssuer = requireNonNull(idpIssuer, "idpIssuer");
      return this;
    }

    /** Sets how the runner authenticates as a client of the IdP. */
    public Builder idpClientAuthentication(ClientAuthentication idpClientAuthentication) {
      this.idpClientAuthentication =
          requireNonNull(idpClientAuthentication, "idpClientAuthentication");
      return this;
    }

    /**
     * Makes the runner a public client of the IdP: token exchange requests carry {@code client_id}
     * in the body and no credentials. Use {@link #idpClientAuthentication} where the IdP allows it.
     */
    public Builder idpPublicClient(String clientId) {
      this.idpPublicClientId = TokenTarget.nonBlank(clientId, "clientId").trim();
      return this;
    }

    /**
     * Sets the run-context key holding the user's ID token. Default {@link #ID_TOKEN}; {@link
     * ContextKey#SUBJECT_TOKEN} where runs carry the ID token there.
     */
    public Builder idTokenKey(ContextKey<String> idTokenKey) {
      this.idTokenKey = requireNonNull(idTokenKey, "idTokenKey");
      return this;
    }

    /**
     * Sets whether a run without an ID token fails its requests to the servers this provider
     * applies to (the default: fail closed) or gets nothing from this provider.
     */
    public Builder requireIdToken(boolean requireIdToken) {
      this.requireIdToken = requireIdToken;
      return this;
    }

    /**
     * Sets how each MCP server's authorization server and resource are found, in place of {@link
     * #issuer(URI)} and {@link #tokenEndpoint(URI)}: for instance RFC 9728 protected resource
     * metadata discovery ({@link AuthorizationTarget#discovery()}). The located authorization
     * server receives this provider's {@link #clientAuthentication}: a locator that follows what
     * the MCP server says must restrict the authorization servers it accepts; the library's own
     * refuses to build with a client secret unless given an allowlist (or the opt-out).
     */
    public Builder authorizationTargets(AuthorizationTarget.Locator locator) {
      this.locator = requireNonNull(locator, "locator");
      return this;
    }

    /**
     * Not supported: the ID-JAG's audience is always the MCP authorization server's issuer.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Builder sendAudience(boolean sendAudience) {
      throw new UnsupportedOperationException(
          "cross-app access sends the authorization server's issuer as audience; it is not"
              + " configurable");
    }

    /**
     * Returns the provider. No network access happens here: discovery and token requests happen on
     * the first request that needs a token.
     *
     * @throws IllegalStateException if a required setting is missing, two settings exclude each
     *     other, or the client secret would go to any authorization server a server names ({@link
     *     AuthorizationTarget#discovered()} without allowlist)
     * @throws IllegalArgumentException if a URL is not acceptable (plain http off loopback, not
     *     absolute) or a setting is out of range
     */
    public CrossAppAccessHeadersProvider build() {
      return new CrossAppAccessHeadersProvider(this);
    }

    TokenHeaderResolver buildCrossAppResolver() {
      ClientAuthentication client = clientAuthentication();
      if (client == null) {
        throw new IllegalStateException(
            "clientAuthentication (at the MCP authorization server) must be set");
      }
      if ((idpTokenEndpoint == null) == (idpIssuer == null)) {
        throw new IllegalStateException(
            "exactly one of idpTokenEndpoint and idpIssuer must be set");
      }
      if ((idpClientAuthentication == null) == (idpPublicClientId == null)) {
        throw new IllegalStateException(
            "exactly one of idpClientAuthentication and idpPublicClient must be set");
      }
      URI issuer = issuer();
      URI tokenEndpoint = tokenEndpoint();
      if (locator != null && (issuer != null || tokenEndpoint != null)) {
        throw new IllegalStateException(
            "set either authorizationTargets or issuer (and tokenEndpoint), not both");
      }
      if (locator instanceof AuthorizationTarget.DiscoveredLocator
          && ((AuthorizationTarget.DiscoveredLocator) locator).unrestricted()
          && McpAuthorizationHeadersProvider.carriesSecret(client)) {
        throw new IllegalStateException(
            "provider '"
                + name()
                + "' would send its client secret to whichever authorization server an MCP server"
                + " names: use AuthorizationTarget.discovery().authorizationServers(...) (or"
                + " trustAnyAuthorizationServer() for tests)");
      }
      if (locator == null && issuer == null) {
        throw new IllegalStateException(
            "issuer (of the MCP authorization server, the ID-JAG's audience) or"
                + " authorizationTargets must be set");
      }
      for (Map.Entry<String, TokenTarget> target : targets().entrySet()) {
        if (target.getValue().audience().isPresent()) {
          throw new IllegalStateException(
              "the target of server '"
                  + target.getKey()
                  + "' sets an audience; cross-app access always asks for the authorization"
                  + " server's issuer");
        }
      }
      String providerName = name();
      boolean insecure = allowInsecureHttp();
      Duration connect = connectTimeout();
      Duration read = readTimeout();
      TokenRequestPolicy policy = policy();
      Clock clock = clock();

      ClientAuthenticator idpClient =
          idpClientAuthentication != null
              ? idpClientAuthentication.authenticator()
              : ClientAuthenticator.none(requireNonNull(idpPublicClientId));
      TokenEndpointResolver idpEndpoint =
          idpTokenEndpoint != null
              ? TokenEndpointResolver.fixed(idpTokenEndpoint, insecure)
              : TokenEndpointResolver.discovering(
                  requireNonNull(idpIssuer), insecure, connect, read);
      TokenEndpointClient idp =
          new TokenEndpointClient(providerName, idpEndpoint, idpClient, null, policy, clock);
      ClientAuthenticator asClient = client.authenticator();
      CrossAppAccessFetcher fetcher =
          new CrossAppAccessFetcher(
              providerName,
              idp,
              sendResource(),
              (asIssuer, asEndpoint) ->
                  new TokenEndpointClient(
                      providerName,
                      asEndpoint != null
                          ? TokenEndpointResolver.fixed(asEndpoint, insecure)
                          : TokenEndpointResolver.discovering(asIssuer, insecure, connect, read),
                      asClient,
                      null,
                      policy,
                      clock),
              clock);
      AuthorizationTarget.Locator located = locator;
      if (located == null) {
        URI fixedIssuer = requireNonNull(issuer);
        // Checked now, so that a refused URL fails the build rather than the first request.
        fetcher.register(fixedIssuer, tokenEndpoint);
        located =
            server -> {
              URI resource = URI.create(CanonicalUri.of(server.uri()));
              return tokenEndpoint == null
                  ? AuthorizationTarget.of(fixedIssuer, resource)
                  : AuthorizationTarget.of(fixedIssuer, tokenEndpoint, resource);
            };
      }
      Map<String, TokenTarget> targetsByLooseName = new HashMap<>();
      targets()
          .forEach(
              (server, target) ->
                  targetsByLooseName.putIfAbsent(TokenHeaderResolver.looseName(server), target));
      Map<String, TokenTarget> targets = Map.copyOf(targets());
      String defaultScope = scope();
      AuthorizationTarget.Locator finalLocator = located;
      TokenHeaderResolver.TargetFunction targetFunction =
          server -> {
            AuthorizationTarget target = locate(providerName, finalLocator, server);
            try {
              fetcher.located(target.issuer(), target.tokenEndpoint().orElse(null));
            } catch (IllegalArgumentException e) {
              throw new HeaderProviderException(
                  providerName,
                  server.name(),
                  "the server's authorization server is refused: " + e.getMessage(),
                  null);
            }
            TokenTarget override = targets.get(server.name());
            if (override == null) {
              override = targetsByLooseName.get(TokenHeaderResolver.looseName(server.name()));
            }
            URI resource = target.resource();
            String scope = defaultScope;
            if (override != null) {
              resource = override.resource().orElse(resource);
              scope = override.scope().orElse(scope);
            }
            return new TokenHeaderResolver.Target(
                target.issuer().toString(), resource.toString(), scope);
          };
      Set<String> servers = servers();
      return new TokenHeaderResolver(
          new TokenHeaderResolver.Settings(
              providerName,
              asClient.clientId(),
              new TokenHeaderResolver.SubjectPolicy(
                  idTokenKey,
                  requireIdToken,
                  idTokenKey == ID_TOKEN
                      ? "ID token (CrossAppAccessHeadersProvider.ID_TOKEN)"
                      : "ID token (context key '" + idTokenKey.name() + "')"),
              servers,
              Map.of(),
              defaultScope,
              false,
              false),
          // Two token requests, each possibly after a discovery.
          newCache(fetcher, policy.maxWait().multipliedBy(2)),
          targetFunction);
    }

    private static AuthorizationTarget locate(
        String providerName, AuthorizationTarget.Locator locator, McpServerRef server) {
      AuthorizationTarget target;
      try {
        target = locator.locate(server);
      } catch (HeaderProviderException e) {
        throw e;
      } catch (RuntimeException e) {
        // The library's own discovering locator words its messages safely; another locator's
        // message is not shown.
        throw new HeaderProviderException(
            providerName,
            server.name(),
            "could not locate the server's authorization server ("
                + (locator instanceof AuthorizationTarget.DiscoveredLocator
                    ? e.getMessage()
                    : e.getClass().getSimpleName())
                + ")",
            e);
      }
      if (target == null) {
        throw new HeaderProviderException(
            providerName, server.name(), "no authorization server was located for it", null);
      }
      return target;
    }

    String describeIdp() {
      return idpTokenEndpoint != null
          ? RemoteText.url(idpTokenEndpoint)
          : "discovered from " + RemoteText.url(idpIssuer);
    }

    String describeIdpClient() {
      return idpClientAuthentication != null
          ? idpClientAuthentication.toString()
          : "none(clientId=" + idpPublicClientId + ")";
    }

    String describeAuthorizationServer() {
      if (locator != null) {
        return "located per server";
      }
      return tokenEndpoint() != null
          ? RemoteText.url(issuer()) + " (token endpoint " + RemoteText.url(tokenEndpoint()) + ")"
          : RemoteText.url(issuer()) + " (token endpoint discovered)";
    }
  }
}
