package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the runner as an OAuth client with an authorization server by dynamic client
 * registration (RFC 7591), once per authorization server however many runs need it at once, and
 * keeps the client id, secret and {@code token_endpoint_auth_method} it was given (for a bounded
 * number of authorization servers). A failed registration is tried again by the next authorization,
 * and so is one the token endpoint refuses with {@code invalid_client}. With a shared {@link
 * TokenStore}, registrations are kept there by issuer (SEP-2352: a registration is only ever used
 * with the issuer it was made with; another issuer gets its own) and survive restarts. Not public
 * API.
 */
public final class ClientRegistrar {
  private static final Logger log = LoggerFactory.getLogger(ClientRegistrar.class);
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final String providerName;
  private final String clientName;
  private final URI redirectUri;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final Duration maxWait;
  private final @Nullable TokenStore store;

  /** Most authorization servers whose registration is kept. */
  private static final int MAXIMUM_REGISTRATIONS = 4096;

  private final ConcurrentMap<String, CompletableFuture<ClientAuthenticator>> clients =
      Caffeine.newBuilder()
          .maximumSize(MAXIMUM_REGISTRATIONS)
          .executor(Runnable::run)
          .<String, CompletableFuture<ClientAuthenticator>>build()
          .asMap();

  /** Creates a registrar registering clients named {@code clientName} for {@code redirectUri}. */
  public ClientRegistrar(
      String providerName,
      String clientName,
      URI redirectUri,
      Duration connectTimeout,
      Duration readTimeout,
      Duration maxWait) {
    this(providerName, clientName, redirectUri, connectTimeout, readTimeout, maxWait, null);
  }

  /** Creates a registrar keeping its registrations in {@code store} too (null: in memory only). */
  public ClientRegistrar(
      String providerName,
      String clientName,
      URI redirectUri,
      Duration connectTimeout,
      Duration readTimeout,
      Duration maxWait,
      @Nullable TokenStore store) {
    this.store = store;
    this.providerName = requireNonNull(providerName, "providerName");
    this.clientName = requireNonNull(clientName, "clientName");
    this.redirectUri = requireNonNull(redirectUri, "redirectUri");
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    this.maxWait = requireNonNull(maxWait, "maxWait");
  }

  /**
   * Returns the client registered with {@code server}, registering it first if needed (one
   * registration however many callers wait for it).
   *
   * @throws TokenFetchException if the registration failed
   */
  public ClientAuthenticator clientFor(AuthorizationDiscovery.AuthorizationServer server)
      throws TokenFetchException {
    URI endpoint = server.registrationEndpoint();
    if (endpoint == null) {
      throw new TokenFetchException(
          "authorization server " + server.describe() + " offers no dynamic client registration");
    }
    CompletableFuture<ClientAuthenticator> mine = new CompletableFuture<>();
    CompletableFuture<ClientAuthenticator> existing = clients.putIfAbsent(server.key(), mine);
    if (existing == null) {
      try {
        mine.complete(storedOrRegistered(endpoint, server));
      } catch (TokenStoreException e) {
        clients.remove(server.key(), mine);
        mine.completeExceptionally(
            new TokenFetchException("the token store failed: " + e.getMessage()));
      } catch (TokenFetchException | RuntimeException e) {
        clients.remove(server.key(), mine);
        mine.completeExceptionally(e);
      }
      existing = mine;
    }
    try {
      return existing.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof TokenFetchException) {
        throw (TokenFetchException) cause;
      }
      throw new TokenFetchException(
          "client registration failed with " + cause.getClass().getSimpleName());
    } catch (TimeoutException e) {
      throw new TokenFetchException("no client registration within " + maxWait.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException("interrupted while waiting for the client registration");
    }
  }

  /**
   * Forgets the registration with {@code server} if it is still {@code client}: the authorization
   * server refused it ({@code invalid_client}), so the next authorization registers again.
   */
  public void forget(
      AuthorizationDiscovery.AuthorizationServer server, ClientAuthenticator client) {
    CompletableFuture<ClientAuthenticator> known = clients.get(server.key());
    if (known != null
        && known.isDone()
        && !known.isCompletedExceptionally()
        && known.join() == client
        && clients.remove(server.key(), known)) {
      if (store != null) {
        try {
          store.removeRegistration(server.key(), client.clientId());
        } catch (TokenStoreException e) {
          log.debug(
              "Provider '{}' could not drop a registration from the token store", providerName);
        }
      }
      log.info(
          "Provider '{}' dropped its registration with authorization server {}, which refused it;"
              + " it registers again on the next authorization",
          providerName,
          server.describe());
    }
  }

  /** Returns the number of authorization servers registered with (for tests). */
  public int registrations() {
    return (int)
        clients.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
  }

  /** The registration the store holds for the server's issuer, else a new one (then stored). */
  private ClientAuthenticator storedOrRegistered(
      URI endpoint, AuthorizationDiscovery.AuthorizationServer server) throws TokenFetchException {
    if (store != null) {
      ClientRegistration known = store.getRegistration(server.key());
      // Keyed by issuer; checked again, so that a store answering for another issuer is not used.
      if (known != null && known.issuer().equals(server.key())) {
        try {
          return authenticator(known);
        } catch (IllegalArgumentException e) {
          log.warn(
              "Provider '{}' ignores the stored registration with authorization server {}: {}",
              providerName,
              server.describe(),
              e.getMessage());
        }
      }
    }
    return register(endpoint, server);
  }

  private static ClientAuthenticator authenticator(ClientRegistration registration) {
    String secret = registration.clientSecret();
    if (registration.authMethod().equals("none") || secret == null) {
      return ClientAuthenticator.none(registration.clientId());
    }
    return ClientAuthenticator.secret(
        ClientAuthenticator.Method.parse(registration.authMethod()),
        registration.clientId(),
        secret);
  }

  private ClientAuthenticator register(
      URI endpoint, AuthorizationDiscovery.AuthorizationServer server) throws TokenFetchException {
    ClientMetadata metadata = new ClientMetadata();
    metadata.setName(clientName);
    metadata.setRedirectionURI(redirectUri);
    metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
    metadata.setResponseTypes(Set.of(ResponseType.CODE));
    metadata.setTokenEndpointAuthMethod(preferredMethod(server.tokenEndpointAuthMethods()));
    HTTPRequest request = new ClientRegistrationRequest(endpoint, metadata, null).toHTTPRequest();
    request.setConnectTimeout(connectTimeoutMillis);
    request.setReadTimeout(readTimeoutMillis);
    request.setFollowRedirects(false);
    HTTPResponse response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new TokenFetchException(
          "could not reach the registration endpoint of authorization server "
              + server.describe()
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          0,
          e);
    }
    ClientRegistrationResponse parsed;
    try {
      parsed = ClientRegistrationResponse.parse(response);
    } catch (ParseException | RuntimeException e) {
      throw new TokenFetchException(
          "the registration endpoint of authorization server "
              + server.describe()
              + " answered HTTP "
              + response.getStatusCode()
              + " with no client information",
          null,
          response.getStatusCode(),
          null);
    }
    if (!parsed.indicatesSuccess()) {
      String code = ((ClientRegistrationErrorResponse) parsed).getErrorObject().getCode();
      code = code == null ? null : ERROR_CODE.matcher(code).matches() ? code : "unrecognised";
      throw new TokenFetchException(
          "client registration at authorization server "
              + server.describe()
              + " was refused (HTTP "
              + response.getStatusCode()
              + (code == null ? "" : ", OAuth error '" + code + "'")
              + ")",
          code,
          response.getStatusCode(),
          null);
    }
    ClientInformation info = ((ClientInformationResponse) parsed).getClientInformation();
    String clientId = info.getID().getValue();
    Secret secret = info.getSecret();
    ClientAuthenticationMethod method = info.getMetadata().getTokenEndpointAuthMethod();
    ClientAuthenticator client;
    String methodName =
        method != null
            ? method.getValue()
            // RFC 7591 §2: without a method, client_secret_basic; a client without secret is
            // public.
            : secret != null ? "client_secret_basic" : "none";
    switch (methodName) {
      case "none":
        client = ClientAuthenticator.none(clientId);
        break;
      case "client_secret_basic":
      case "client_secret_post":
        if (secret == null || secret.getValue().isBlank()) {
          throw new TokenFetchException(
              "authorization server "
                  + server.describe()
                  + " registered the client for "
                  + methodName
                  + " but issued no client secret");
        }
        client =
            ClientAuthenticator.secret(
                ClientAuthenticator.Method.parse(methodName), clientId, secret.getValue());
        break;
      default:
        throw new TokenFetchException(
            "authorization server "
                + server.describe()
                + " registered the client for token endpoint authentication '"
                + (ERROR_CODE.matcher(methodName).matches() ? methodName : "unrecognised")
                + "', which is not supported");
    }
    if (store != null) {
      store.putRegistration(
          ClientRegistration.of(
              server.key(),
              clientId,
              client.method() == ClientAuthenticator.Method.NONE ? null : secret.getValue(),
              client.method().value()));
    }
    log.info(
        "Provider '{}' registered as client '{}' ({}) with authorization server {}",
        providerName,
        RemoteText.of(clientId),
        client.method().value(),
        server.describe());
    return client;
  }

  /**
   * The method asked for: the runner runs server-side and can keep a secret, so {@code
   * client_secret_basic} first, then {@code client_secret_post}, then a public client.
   */
  private static ClientAuthenticationMethod preferredMethod(List<String> supported) {
    if (supported.isEmpty() || supported.contains("client_secret_basic")) {
      return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
    }
    if (supported.contains("client_secret_post")) {
      return ClientAuthenticationMethod.CLIENT_SECRET_POST;
    }
    return ClientAuthenticationMethod.NONE;
  }
}
