package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.oauth.UserAuthorization;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The OAuth 2.1 authorization code grant with PKCE S256 (RFC 7636) and RFC 8707 resource
 * indicators: builds the authorization request, hands it to the {@link UserAuthorization}, checks
 * the {@code state} (and the RFC 9207 {@code iss}, when present) of what came back, and exchanges
 * the code; later, refreshes with the refresh token. Codes, verifiers and tokens never appear in a
 * message. Not public API.
 */
public final class AuthorizationCodeFlow {
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final UserAuthorization userAuthorization;
  private final URI redirectUri;
  private final TokenRequestSender sender;
  private final boolean assertionAudienceIssuer;

  /** Creates the flow. */
  public AuthorizationCodeFlow(
      UserAuthorization userAuthorization,
      URI redirectUri,
      TokenRequestSender sender,
      boolean assertionAudienceIssuer) {
    this.userAuthorization = requireNonNull(userAuthorization, "userAuthorization");
    this.redirectUri = requireNonNull(redirectUri, "redirectUri");
    this.sender = requireNonNull(sender, "sender");
    this.assertionAudienceIssuer = assertionAudienceIssuer;
  }

  /**
   * Returns the authorization request URL for {@code client} at {@code server}, with this {@code
   * state} and the S256 challenge of {@code verifier}.
   */
  public URI authorizationUrl(
      AuthorizationDiscovery.Discovery discovery,
      ClientAuthenticator client,
      @Nullable String scope,
      State state,
      CodeVerifier verifier)
      throws TokenFetchException {
    AuthorizationDiscovery.AuthorizationServer server = discovery.server();
    URI endpoint = server.authorizationEndpoint();
    if (endpoint == null) {
      throw new TokenFetchException(
          "authorization server " + server.describe() + " names no authorization_endpoint");
    }
    if (!discovery.legacy()
        && !server.codeChallengeMethods().contains(CodeChallengeMethod.S256.getValue())) {
      // MCP 2025-11-25: without advertised PKCE S256 support the client must not proceed.
      throw new TokenFetchException(
          "authorization server "
              + server.describe()
              + " does not advertise PKCE S256 (code_challenge_methods_supported); refusing to"
              + " authorize");
    }
    AuthorizationRequest.Builder request =
        new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(client.clientId()))
            .endpointURI(endpoint)
            .redirectionURI(redirectUri)
            .state(state)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .resource(URI.create(discovery.resource()));
    if (scope != null) {
      request.scope(Scope.parse(scope));
    }
    return request.build().toURI();
  }

  /**
   * Has the user authorize {@code client} for {@code scope} and returns the token the code was
   * exchanged for (with its refresh token, if one was issued).
   *
   * @throws TokenFetchException if the user did not authorize, the answer does not match the
   *     request (state, issuer) or the token request failed
   */
  public IssuedToken authorize(
      AuthorizationDiscovery.Discovery discovery,
      ClientAuthenticator client,
      @Nullable String scope,
      HeaderContext context,
      String serverName)
      throws TokenFetchException {
    State state = new State();
    CodeVerifier verifier = new CodeVerifier();
    URI url = authorizationUrl(discovery, client, scope, state, verifier);
    URI back;
    try {
      back = userAuthorization.authorize(url, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException("interrupted while the user was authorizing");
    } catch (RuntimeException e) {
      throw new TokenFetchException(
          "the user authorization failed (" + e.getClass().getSimpleName() + ")");
    }
    if (back == null) {
      throw new TokenFetchException("the user authorization returned no redirect URI");
    }
    AuthorizationCode code = code(back, state, discovery.server());
    AuthorizationDiscovery.AuthorizationServer server = discovery.server();
    return sender.send(
        new TokenRequestSender.Grant(
            server.tokenEndpoint(),
            new AuthorizationCodeGrant(code, redirectUri, verifier),
            client,
            audience(server),
            null,
            discovery.resource(),
            Map.of()),
        serverName);
  }

  /**
   * Returns a new token obtained with {@code refreshToken}.
   *
   * @throws TokenFetchException if the token endpoint refused or failed
   */
  public IssuedToken refresh(
      AuthorizationDiscovery.AuthorizationServer server,
      ClientAuthenticator client,
      String refreshToken,
      String resource,
      String serverName)
      throws TokenFetchException {
    return sender.send(
        new TokenRequestSender.Grant(
            server.tokenEndpoint(),
            new RefreshTokenGrant(new RefreshToken(refreshToken)),
            client,
            audience(server),
            null,
            resource,
            Map.of()),
        serverName);
  }

  private @Nullable String audience(AuthorizationDiscovery.AuthorizationServer server) {
    return assertionAudienceIssuer ? server.issuer() : null;
  }

  /** Reads the code from the redirect, refusing any mismatch with the request. */
  static AuthorizationCode code(
      URI back, State expectedState, AuthorizationDiscovery.AuthorizationServer server)
      throws TokenFetchException {
    AuthorizationResponse response;
    try {
      response = AuthorizationResponse.parse(back);
    } catch (ParseException | RuntimeException e) {
      throw new TokenFetchException(
          "the authorization server redirected back without a valid authorization response");
    }
    if (!expectedState.equals(response.getState())) {
      throw new TokenFetchException(
          "the authorization response's state does not match the request; refused");
    }
    if (response.getIssuer() != null
        && server.issuer() != null
        && !response.getIssuer().getValue().equals(server.issuer())) {
      throw new TokenFetchException(
          "the authorization response names another issuer than "
              + RemoteText.of(server.issuer())
              + "; refused");
    }
    if (!response.indicatesSuccess()) {
      String error = ((AuthorizationErrorResponse) response).getErrorObject().getCode();
      error = error == null || !ERROR_CODE.matcher(error).matches() ? "unrecognised" : error;
      throw new TokenFetchException(
          "the user authorization ended with OAuth error '" + error + "'", error, 0, null);
    }
    AuthorizationCode code = ((AuthorizationSuccessResponse) response).getAuthorizationCode();
    if (code == null) {
      throw new TokenFetchException("the authorization response carries no code");
    }
    return code;
  }
}
