package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Requests tokens from the token endpoint with Nimbus: the client credentials grant, or the RFC
 * 8693 token exchange grant when an {@link Exchange} is given, sent by a {@link TokenRequestSender}
 * (timeouts, retries of connect failures and HTTP 5xx). Failures never carry a token, secret or
 * response body. Not public API.
 */
public final class TokenEndpointClient implements TokenFetcher {
  /**
   * What a token exchange sends besides the subject token.
   *
   * @param subjectTokenType the {@code subject_token_type}
   * @param requestedTokenType the {@code requested_token_type}, or null to leave it out
   */
  public record Exchange(TokenTypeURI subjectTokenType, @Nullable TokenTypeURI requestedTokenType) {
    /** Checks the subject token type is set. */
    public Exchange {
      requireNonNull(subjectTokenType, "subjectTokenType");
    }
  }

  private final String providerName;
  private final TokenEndpointResolver endpoint;
  private final ClientAuthenticator client;
  private final @Nullable Exchange exchange;
  private final TokenRequestSender sender;

  /** Creates a client; {@code exchange} null means the client credentials grant. */
  public TokenEndpointClient(
      String providerName,
      TokenEndpointResolver endpoint,
      ClientAuthenticator client,
      @Nullable Exchange exchange,
      TokenRequestPolicy policy,
      Clock clock) {
    this.providerName = requireNonNull(providerName, "providerName");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.client = requireNonNull(client, "client");
    this.exchange = exchange;
    this.sender = new TokenRequestSender(providerName, policy, clock);
  }

  @Override
  public IssuedToken fetch(CacheKey key, String serverName) throws TokenFetchException {
    URI tokenEndpoint = endpoint.tokenEndpoint();
    AuthorizationGrant grant;
    if (exchange != null) {
      String subject = key.subjectToken();
      if (subject == null) {
        throw new TokenFetchException("token exchange needs a subject token");
      }
      String audience = key.audience();
      grant =
          new TokenExchangeGrant(
              new TypelessToken(subject),
              exchange.subjectTokenType(),
              null,
              null,
              exchange.requestedTokenType(),
              audience == null ? null : List.of(new Audience(audience)));
    } else {
      grant = new ClientCredentialsGrant();
    }
    Map<String, String> extra =
        exchange == null && key.audience() != null
            // Not part of RFC 6749's client credentials grant, but the usual way (RFC 8693's name)
            // to ask for an audience; sent only when configured.
            ? Map.of("audience", requireNonNull(key.audience()))
            : Map.of();
    return sender.send(
        new TokenRequestSender.Grant(
            tokenEndpoint, grant, client, null, key.scope(), key.resource(), extra),
        serverName);
  }

  /**
   * Sends {@code grant} to this client's token endpoint, authenticated as this client, and returns
   * what {@code reader} reads from the answer.
   *
   * @param scope the scope to request, or null
   * @param resource the RFC 8707 resource, or null
   */
  public <T> T request(
      String serverName,
      AuthorizationGrant grant,
      @Nullable String scope,
      @Nullable String resource,
      TokenRequestSender.ResponseReader<T> reader)
      throws TokenFetchException {
    return sender.send(
        new TokenRequestSender.Grant(
            endpoint.tokenEndpoint(), grant, client, null, scope, resource, Map.of()),
        serverName,
        reader);
  }

  /** Reads an access token answer (see {@link TokenRequestSender#issuedToken}). */
  public IssuedToken issuedToken(
      com.nimbusds.oauth2.sdk.http.HTTPResponse response, long startMillis)
      throws TokenFetchException {
    return sender.issuedToken(response, startMillis);
  }

  @Override
  public String toString() {
    return "TokenEndpointClient{endpoint=" + endpoint.describe() + ", client=" + client + "}";
  }
}
