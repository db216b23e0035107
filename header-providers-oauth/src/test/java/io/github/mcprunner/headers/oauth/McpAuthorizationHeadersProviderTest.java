package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * {@link McpAuthorizationHeadersProvider} against a real loopback protected resource and
 * authorization server, calling {@code headers}/{@code onUnauthorized} as the runner does.
 */
class McpAuthorizationHeadersProviderTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";
  private static final String AS_META = "/.well-known/oauth-authorization-server";

  private LoopbackAuthorization as;
  private McpServerRef server;
  private String resource;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    resource = as.base() + "/mcp";
    server = McpServerRef.of("crm", resource);
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void stop() {
    root().detachAppender(logs);
    as.close();
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private String challenge(String scope) {
    return "Bearer error=\"invalid_token\", resource_metadata=\""
        + as.base()
        + PRM_MCP
        + "\""
        + (scope == null ? "" : ", scope=\"" + scope + "\"");
  }

  private HeaderContext context(String identity) {
    return HeaderContext.builder(server)
        .runId("r")
        .identity(identity)
        .mcpMethod("tools/list")
        .build();
  }

  /** Plays the user's browser: opens the URL, does not follow the redirect, returns its target. */
  static final UserAuthorization HEADLESS =
      (url, context) -> {
        try {
          HttpResponse<Void> response =
              HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build()
                  .send(
                      HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
          return url.resolve(response.headers().firstValue("Location").orElseThrow());
        } catch (java.io.IOException e) {
          throw new IllegalStateException("authorization endpoint unreachable", e);
        }
      };

  /** The client credentials grant, trusting the loopback authorization server. */
  private McpAuthorizationHeadersProvider.Builder service(ClientAuthentication authentication) {
    return McpAuthorizationHeadersProvider.clientCredentials(authentication)
        .authorizationServers(URI.create(as.base()));
  }

  private McpAuthorizationHeadersProvider.Builder userFlow(UserAuthorization user) {
    return McpAuthorizationHeadersProvider.authorizationCode(
            user, URI.create("http://127.0.0.1:1/callback"))
        .maxAttempts(1);
  }

  private void standardServer(String scopes, String extraAsMetadata) {
    as.resourceMetadata(PRM_MCP, resource, as.base(), scopes)
        .serverMetadata(AS_META, as.base(), extraAsMetadata);
  }

  @Test
  void contributesNothingUntilTheChallengeThenAClientCredentialsTokenForTheChallengesScope() {
    standardServer("[\"a\",\"b\"]", null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication()).build();

    assertThat(provider.headers(context(null)).isEmpty()).isTrue();
    assertThat(as.received).isEmpty();
    assertThat(provider.onUnauthorized(context(null), challenge("mcp:basic"))).isTrue();

    assertThat(Contexts.bearer(provider.headers(context(null)))).isEqualTo("access-token-1");
    assertThat(Contexts.bearer(provider.headers(context("anyone")))).isEqualTo("access-token-1");
    assertThat(as.paths()).containsExactly(PRM_MCP, AS_META, "/token");
    LoopbackAuthorization.Received token = as.received("/token").get(0);
    assertThat(token.param("grant_type")).isEqualTo("client_credentials");
    assertThat(token.param("scope")).isEqualTo("mcp:basic");
    assertThat(token.param("resource")).isEqualTo(resource);
  }

  @Test
  void withoutResourceMetadataInTheChallengeThePathInsertedWellKnownUriIsReadAndNotTheRoot() {
    standardServer(null, null);
    as.document("/.well-known/oauth-protected-resource", "{\"resource\":\"https://trap\"}");
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_POST.authentication()).build();

    assertThat(provider.onUnauthorized(context(null), "Bearer")).isTrue();

    assertThat(as.paths()).containsExactly(PRM_MCP, AS_META, "/token");
    assertThat(as.received("/token").get(0).param("scope"))
        .as("no scope known: none sent")
        .isNull();
  }

  @Test
  void rootMetadataAndAnAuthorizationServerWithAPathUseThePathInsertedServerMetadataOnly() {
    as.resourceMetadata(
            "/.well-known/oauth-protected-resource", as.base(), as.base() + "/tenant1", null)
        .serverMetadata(
            "/.well-known/oauth-authorization-server/tenant1", as.base() + "/tenant1", null)
        .document(AS_META, "{\"issuer\":\"trap\"}");
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .authorizationServers(URI.create(as.base() + "/tenant1/"))
            .build();

    assertThat(provider.onUnauthorized(context(null), null)).isTrue();

    assertThat(as.paths())
        .containsExactly(
            PRM_MCP,
            "/.well-known/oauth-protected-resource",
            "/.well-known/oauth-authorization-server/tenant1",
            "/token");
  }

  @Test
  void openIdConfigurationIsTheFallbackForServerMetadata() {
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .serverMetadata("/.well-known/openid-configuration", as.base(), null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication()).build();

    assertThat(provider.onUnauthorized(context(null), challenge(null))).isTrue();
    assertThat(as.paths())
        .containsExactly(PRM_MCP, AS_META, "/.well-known/openid-configuration", "/token");
  }

  @Test
  void aResourceOtherThanTheServerIsRefusedWithoutAnyRequestToTheAuthorizationServer() {
    as.resourceMetadata(PRM_MCP, "https://evil.example.com/mcp", as.base(), null)
        .serverMetadata(AS_META, as.base(), null);
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();

    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isFalse();

    assertThat(as.paths()).containsExactly(PRM_MCP);
    assertThat(provider.headers(context("alice")).isEmpty()).isTrue();
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().toString().equals("WARN"))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("'crm'", "evil.example.com"));
  }

  @Test
  void anIssuerOtherThanTheAuthorizationServerIsRefused() {
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .serverMetadata(AS_META, "https://other.example.com", null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication()).build();

    assertThat(provider.onUnauthorized(context(null), challenge(null))).isFalse();
    assertThat(as.received("/token")).isEmpty();
  }

  @Test
  void withoutAnyResourceMetadataTheServersOriginIsTheAuthorizationServer() {
    as.document(
        AS_META,
        "{\"issuer\":\""
            + as.base()
            + "/oauth\",\"authorization_endpoint\":\""
            + as.base()
            + "/authorize\",\"token_endpoint\":\""
            + as.base()
            + "/token\",\"registration_endpoint\":\""
            + as.base()
            + "/register\",\"response_types_supported\":[\"code\"]}");
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();

    assertThat(provider.onUnauthorized(context("alice"), "Bearer error=\"invalid_token\""))
        .isTrue();

    assertThat(as.paths())
        .containsExactly(
            PRM_MCP,
            "/.well-known/oauth-protected-resource",
            AS_META,
            "/register",
            "/authorize",
            "/token");
  }

  @Test
  void withoutAnyMetadataTheDefaultEndpointsAtTheOriginAreUsed() {
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();

    assertThat(provider.onUnauthorized(context("alice"), "Bearer")).isTrue();

    assertThat(as.paths())
        .containsExactly(
            PRM_MCP,
            "/.well-known/oauth-protected-resource",
            AS_META,
            "/register",
            "/authorize",
            "/token");
    assertThat(Contexts.bearer(provider.headers(context("alice")))).startsWith("access-token-");
  }

  @ParameterizedTest
  @EnumSource(ClientAuthCase.class)
  void clientCredentialsAuthenticateAsConfiguredAndAssertionsNameTheIssuer(ClientAuthCase auth)
      throws Exception {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider = service(auth.authentication()).build();

    assertThat(provider.onUnauthorized(context(null), challenge("x"))).isTrue();

    LoopbackAuthorization.Received token = as.received("/token").get(0);
    switch (auth) {
      case CLIENT_SECRET_BASIC:
        assertThat(token.authorization()).startsWith("Basic ");
        assertThat(token.param("client_secret")).isNull();
        break;
      case CLIENT_SECRET_POST:
        assertThat(token.authorization()).isNull();
        assertThat(token.param("client_secret")).isEqualTo(ClientAuthCase.SECRET);
        break;
      default:
        assertThat(token.param("client_assertion_type"))
            .isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(token.param("client_assertion"));
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(as.base());
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(ClientAuthCase.CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(ClientAuthCase.CLIENT_ID);
    }
  }

  @Test
  void assertionAudienceCanBeTheTokenEndpoint() throws Exception {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
            .assertionAudience(McpAuthorizationHeadersProvider.AssertionAudience.TOKEN_ENDPOINT)
            .build();
    assertThat(provider.onUnauthorized(context(null), challenge(null))).isTrue();
    SignedJWT assertion = SignedJWT.parse(as.received("/token").get(0).param("client_assertion"));
    assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(as.base() + "/token");
  }

  @Test
  void authorizationCodeUsesPkceS256TheResourceAndTheRegisteredClient() {
    standardServer("[\"mcp:basic\",\"mcp:read\"]", null);
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();

    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isTrue();

    LoopbackAuthorization.Received authorize = as.received("/authorize").get(0);
    LoopbackAuthorization.Received token = as.received("/token").get(0);
    assertThat(authorize.param("response_type")).isEqualTo("code");
    assertThat(authorize.param("client_id")).isEqualTo("registered-client");
    assertThat(authorize.param("scope")).isEqualTo("mcp:basic mcp:read");
    assertThat(authorize.param("resource")).isEqualTo(resource);
    assertThat(authorize.param("code_challenge_method")).isEqualTo("S256");
    assertThat(token.param("grant_type")).isEqualTo("authorization_code");
    assertThat(token.param("resource")).isEqualTo(resource);
    assertThat(token.param("redirect_uri")).isEqualTo(authorize.param("redirect_uri"));
    assertThat(token.param("client_secret"))
        .as("registered for client_secret_post")
        .isEqualTo("registered-secret");
    String verifier = token.param("code_verifier");
    assertThat(verifier).hasSizeGreaterThanOrEqualTo(43);
    assertThat(authorize.param("code_challenge"))
        .isEqualTo(
            CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue());
    assertThat(Contexts.bearer(provider.headers(context("alice")))).startsWith("access-token-");
    assertThat(provider.headers(context("bob")).isEmpty()).as("tokens are per identity").isTrue();
  }

  @Test
  void aRedirectWithAnotherStateIsRefusedAndNoCodeIsExchanged() {
    standardServer(null, null);
    UserAuthorization forged =
        (url, context) -> {
          URI back = HEADLESS.authorize(url, context);
          return URI.create(back.toString().replaceAll("state=[^&]+", "state=forged"));
        };
    McpAuthorizationHeadersProvider provider = userFlow(forged).build();

    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isFalse();

    assertThat(as.received("/authorize")).hasSize(1);
    assertThat(as.received("/token")).isEmpty();
    assertThat(provider.headers(context("alice")).isEmpty()).isTrue();
  }

  @Test
  void aServerWithoutPkceS256IsRefused() {
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .document(
            AS_META,
            "{\"issuer\":\""
                + as.base()
                + "\",\"authorization_endpoint\":\""
                + as.base()
                + "/authorize\",\"token_endpoint\":\""
                + as.base()
                + "/token\","
                + "\"registration_endpoint\":\""
                + as.base()
                + "/register\","
                + "\"response_types_supported\":[\"code\"]}");
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();
    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isFalse();
    assertThat(as.received("/authorize")).isEmpty();
  }

  @Test
  void manyIdentitiesAuthorizingAtOnceRegisterTheClientOnce() throws Exception {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String identity = "user-" + i;
        Callable<Boolean> call = () -> provider.onUnauthorized(context(identity), challenge(null));
        results.add(pool.submit(call));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(as.received("/register")).hasSize(1);
    assertThat(as.received("/authorize")).hasSize(16);
    for (int i = 0; i < 16; i++) {
      assertThat(provider.headers(context("user-" + i)).isEmpty()).isFalse();
    }
  }

  @Test
  void insufficientScopeReauthorizesWithTheUnionOfScopesOnceAndNotForTheSameScopeAgain() {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).build();
    assertThat(provider.onUnauthorized(context("alice"), challenge("mcp:basic"))).isTrue();
    String first = Contexts.bearer(provider.headers(context("alice")));

    String stepUp =
        "Bearer error=\"insufficient_scope\", scope=\"mcp:write\", resource_metadata=\""
            + as.base()
            + PRM_MCP
            + "\"";
    assertThat(provider.onUnauthorized(context("alice"), stepUp)).isTrue();
    assertThat(provider.onUnauthorized(context("alice"), stepUp))
        .as("asking again for scopes already requested does not loop")
        .isFalse();

    List<LoopbackAuthorization.Received> authorizations = as.received("/authorize");
    assertThat(authorizations).hasSize(2);
    assertThat(authorizations.get(0).param("scope")).isEqualTo("mcp:basic");
    assertThat(authorizations.get(1).param("scope")).isEqualTo("mcp:basic mcp:write");
    assertThat(as.received("/token")).hasSize(2);
    assertThat(Contexts.bearer(provider.headers(context("alice")))).isNotEqualTo(first);
  }

  @Test
  void anExpiringTokenIsRenewedWithTheRefreshTokenOnTheInjectedClock() {
    standardServer("[\"mcp:basic\"]", "\"scopes_supported\":[\"mcp:basic\",\"offline_access\"]");
    as.issueRefreshTokens = true;
    as.expiresIn = 600;
    MutableClock clock = MutableClock.startingNow();
    McpAuthorizationHeadersProvider provider =
        userFlow(HEADLESS).clock(clock).executor(Runnable::run).build();
    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isTrue();
    assertThat(as.received("/authorize").get(0).param("scope"))
        .isEqualTo("mcp:basic offline_access");
    String first = Contexts.bearer(provider.headers(context("alice")));

    clock.advance(Duration.ofSeconds(601));
    String renewed = Contexts.bearer(provider.headers(context("alice")));

    assertThat(renewed).isNotEqualTo(first);
    List<LoopbackAuthorization.Received> tokens = as.received("/token");
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(1).param("grant_type")).isEqualTo("refresh_token");
    assertThat(tokens.get(1).param("refresh_token")).startsWith("refresh-token-");
    assertThat(tokens.get(1).param("resource")).isEqualTo(resource);
    assertThat(as.received("/authorize")).as("no new user authorization").hasSize(1);
  }

  @Test
  void withoutARefreshTokenAnExpiredTokenIsNotSentAndTheNext401AsksTheUserAgain() {
    standardServer(null, null);
    as.expiresIn = 600;
    MutableClock clock = MutableClock.startingNow();
    McpAuthorizationHeadersProvider provider = userFlow(HEADLESS).clock(clock).build();
    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isTrue();
    clock.advance(Duration.ofSeconds(601));
    assertThat(provider.headers(context("alice")).isEmpty()).isTrue();
    assertThat(provider.onUnauthorized(context("alice"), challenge(null))).isTrue();
    assertThat(as.received("/authorize")).hasSize(2);
  }

  @Test
  void aRefusedTokenIsDroppedAndTheServerDiscoveredAgain() {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication()).build();
    assertThat(provider.onUnauthorized(context(null), challenge(null))).isTrue();
    String first = Contexts.bearer(provider.headers(context(null)));
    assertThat(provider.onUnauthorized(context(null), challenge(null))).isTrue();
    assertThat(Contexts.bearer(provider.headers(context(null)))).isNotEqualTo(first);
    assertThat(as.paths()).containsExactly(PRM_MCP, AS_META, "/token", PRM_MCP, AS_META, "/token");
  }

  @Test
  void plainHttpToLoopbackCanBeRefused() {
    standardServer(null, null);
    McpAuthorizationHeadersProvider provider =
        service(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
            .allowLoopbackHttp(false)
            .build();
    assertThat(provider.onUnauthorized(context(null), challenge(null))).isFalse();
    assertThat(as.received).isEmpty();
  }

  @Test
  void noTokenSecretCodeOrVerifierIsLoggedOrDescribed() {
    standardServer("[\"mcp:basic\"]", "\"scopes_supported\":[\"mcp:basic\",\"offline_access\"]");
    as.issueRefreshTokens = true;
    root().setLevel(ch.qos.logback.classic.Level.TRACE);
    try {
      McpAuthorizationHeadersProvider users = userFlow(HEADLESS).executor(Runnable::run).build();
      users.onUnauthorized(context("alice"), challenge(null));
      users.headers(context("alice"));
      McpAuthorizationHeadersProvider service =
          service(ClientAuthCase.PRIVATE_KEY_JWT_RSA.authentication()).build();
      service.onUnauthorized(context(null), challenge(null));
      service.headers(context(null));
      List<String> secrets = new ArrayList<>();
      secrets.add(ClientAuthCase.SECRET);
      secrets.add("registered-secret");
      secrets.add(
          Base64.getEncoder()
              .encodeToString(TestKeys.RSA.getPrivate().getEncoded())
              .substring(40, 100));
      for (LoopbackAuthorization.Received r : as.received("/token")) {
        for (String name : List.of("code", "code_verifier", "client_assertion", "refresh_token")) {
          if (r.param(name) != null) {
            secrets.add(r.param(name));
          }
        }
      }
      for (int i = 1; i <= 6; i++) {
        secrets.add("access-token-" + i);
        secrets.add("refresh-token-" + i);
        secrets.add("code-" + i + "&");
      }
      List<String> texts = new ArrayList<>();
      logs.list.forEach(e -> texts.add(e.getFormattedMessage()));
      texts.add(users.toString());
      texts.add(service.toString());
      assertThat(logs.list).isNotEmpty();
      for (String secret : secrets) {
        assertThat(texts).noneMatch(text -> text.contains(secret));
      }
    } finally {
      root().setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }
}
