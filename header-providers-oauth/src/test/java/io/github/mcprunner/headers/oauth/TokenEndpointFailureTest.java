package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.oauth.ScriptedTokenEndpoint.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A token endpoint that is down, slow, refuses or answers nonsense: the provider throws, so the MCP
 * request is not sent, with an error naming provider, server and OAuth error code, never a token;
 * only connect failures and 5xx answers are retried.
 */
class TokenEndpointFailureTest {
  private static final String USER_TOKEN = "user-token-that-must-never-be-echoed";

  private final MutableClock clock = MutableClock.startingNow();
  private ScriptedTokenEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    endpoint = new ScriptedTokenEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private TokenExchangeHeadersProvider.Builder provider(URI tokenEndpoint) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(tokenEndpoint)
        .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
        .clock(clock)
        .executor(Runnable::run)
        .retryBackoff(Duration.ofMillis(1));
  }

  private static HeaderContext context() {
    return forUser(CRM, USER_TOKEN);
  }

  @Test
  void aStoppedIdpFailsTheRequestClearlyAndReturnsNothing() {
    TestIdp idp = new TestIdp(clock);
    TokenExchangeHeadersProvider provider = provider(idp.tokenEndpoint()).build();
    assertThat(bearer(provider.headers(forUser(CRM, idp.userToken("alice"))))).isNotBlank();
    idp.stop();

    assertThatThrownBy(() -> provider.headers(forUser(CRM, idp.userToken("bob"))))
        .isInstanceOfSatisfying(
            OAuthTokenException.class,
            e -> {
              assertThat(e.providerName()).isEqualTo("oauth-token-exchange");
              assertThat(e.serverName()).isEqualTo("crm");
              assertThat(e.errorCode()).isEmpty();
              assertThat(e.httpStatus()).isEmpty();
            })
        .hasMessage(
            "Header provider 'oauth-token-exchange' failed for server 'crm': could not connect to"
                + " the token endpoint (after 3 attempts); the request was not sent");
  }

  @Test
  void aTokenEndpointThatDoesNotAnswerInTimeFailsWithoutRetry() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // test over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      TokenExchangeHeadersProvider provider =
          provider(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/token"))
              .readTimeout(Duration.ofMillis(300))
              .build();

      assertThatThrownBy(() -> provider.headers(context()))
          .isInstanceOf(OAuthTokenException.class)
          .hasMessageContaining("token endpoint did not answer within 300 ms;");
      // The kernel completes the connection before the acceptor thread takes it from the backlog:
      // on a loaded machine that thread may not have run yet when the 300 ms are over.
      assertThat(awaitAccepted(accepted, 1)).as("connections to the token endpoint").hasSize(1);
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  /**
   * Waits (bounded) until the acceptor took at least {@code count} connections; returns them all. A
   * retry would have connected before the provider threw (its executor runs on the caller's
   * thread), so any further connection is in the backlog already and is taken meanwhile as well.
   */
  private static List<Socket> awaitAccepted(List<Socket> accepted, int count)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (accepted.size() < count && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return List.copyOf(accepted);
  }

  @Test
  void invalidGrantIsReportedWithItsCodeNeverRetriedAndTheDescriptionNotEchoed() {
    endpoint.script(
        n ->
            Answer.json(
                400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"subject token "
                    + USER_TOKEN
                    + " has expired\"}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .isInstanceOfSatisfying(
            OAuthTokenException.class,
            e -> {
              assertThat(e.errorCode()).contains("invalid_grant");
              assertThat(e.httpStatus()).hasValue(400);
            })
        .hasMessage(
            "Header provider 'oauth-token-exchange' failed for server 'crm': token endpoint"
                + " answered HTTP 400 with OAuth error 'invalid_grant'; the request was not sent");
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void serverErrorsAreRetriedWithBackoffAndTheThirdAttemptSucceeds() {
    endpoint.script(
        n ->
            n < 3
                ? Answer.json(503, "{\"error\":\"temporarily_unavailable\"}")
                : Answer.json(
                    200,
                    "{\"access_token\":\"opaque-after-retries\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":300}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-after-retries");
    assertThat(endpoint.requests()).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsFailAfterTheLastAttempt() {
    endpoint.script(n -> Answer.json(500, "{\"error\":\"server_error\"}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).maxAttempts(4).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageContaining(
            "token endpoint answered HTTP 500 with OAuth error 'server_error' (after 4 attempts)");
    assertThat(endpoint.requests()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"access_token\":\"leaked-token-in-broken-json\",\"token_type\":",
        "{\"token_type\":\"Bearer\",\"expires_in\":60}",
        "{\"access_token\":\"leaked-token-without-type\"}",
        "<html>leaked-token-in-html</html>"
      })
  void malformedAnswersFailWithoutQuotingTheBody(String body) {
    endpoint.script(n -> Answer.json(200, body));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessage(
            "Header provider 'oauth-token-exchange' failed for server 'crm': token endpoint"
                + " answered HTTP 200 with a malformed token response; the request was not sent")
        .hasNoCause();
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void anErrorCodeThatIsNoPlainWordIsNotEchoed() {
    endpoint.script(n -> Answer.json(401, "{\"error\":\"bad <b>" + USER_TOKEN + "</b>\"}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageStartingWith(
            "Header provider 'oauth-token-exchange' failed for server 'crm': token endpoint"
                + " answered HTTP 401")
        .hasMessageNotContaining(USER_TOKEN)
        .hasMessageNotContaining("<b>");
  }

  @Test
  void aDpopBoundTokenIsRefused() {
    endpoint.script(
        n ->
            Answer.json(
                200,
                "{\"access_token\":\"dpop-bound\",\"token_type\":\"DPoP\",\"expires_in\":60}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .hasMessageContaining("issued a token of type 'DPoP'; only Bearer tokens can be sent")
        .hasMessageNotContaining("dpop-bound");
  }

  @Test
  void aTokenWithoutLifetimeIsKeptForTheDefaultLifetime() {
    endpoint.script(
        n -> Answer.json(200, "{\"access_token\":\"opaque-" + n + "\",\"token_type\":\"Bearer\"}"));
    TokenExchangeHeadersProvider provider =
        provider(endpoint.uri()).defaultTokenLifetime(Duration.ofMinutes(5)).build();

    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-1");
    clock.advance(Duration.ofSeconds(239));
    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-1");
    assertThat(endpoint.requests()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2)); // inside the 60 s margin: refreshed
    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-1");
    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-2");
  }

  @Test
  void theEarlierOfExpiresInAndTheJwtExpiryGoverns() {
    long now = clock.instant().getEpochSecond();
    String longLivedJwt = jwtExpiringAt(now + 3600);
    endpoint.script(
        n ->
            Answer.json(
                200,
                "{\"access_token\":\""
                    + (n == 1 ? longLivedJwt : "opaque-" + n)
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":100}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThat(bearer(provider.headers(context()))).isEqualTo(longLivedJwt);
    clock.advance(Duration.ofSeconds(49));
    assertThat(bearer(provider.headers(context()))).isEqualTo(longLivedJwt);
    // 51 s: the token counts as living 100 s, not an hour; its margin is half of that, 50 s
    clock.advance(Duration.ofSeconds(2));
    assertThat(bearer(provider.headers(context()))).isEqualTo(longLivedJwt);
    assertThat(bearer(provider.headers(context()))).isEqualTo("opaque-2");
  }

  @Test
  void aTokenThatIsAlreadyExpiredIsRefused() {
    String expired = jwtExpiringAt(clock.instant().getEpochSecond() - 5);
    endpoint.script(
        n -> Answer.json(200, "{\"access_token\":\"" + expired + "\",\"token_type\":\"Bearer\"}"));
    TokenExchangeHeadersProvider provider = provider(endpoint.uri()).build();

    assertThatThrownBy(() -> provider.headers(context()))
        .hasMessageContaining("token endpoint issued a token that has already expired")
        .hasMessageNotContaining(expired);
  }

  @Test
  void aPlainHttpTokenEndpointIsRefusedUnlessOnLoopbackOrAllowed() {
    URI remote = URI.create("http://idp.example.com/token");

    assertThatThrownBy(() -> provider(remote).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "token endpoint must use https (plain http is accepted for loopback hosts, or with"
                + " allowInsecureHttp)");
    assertThat(provider(remote).allowInsecureHttp(true).build()).isNotNull();
    assertThat(provider(URI.create("http://localhost:1/token")).build()).isNotNull();
  }

  @Test
  void aProviderWithoutClientOrEndpointIsNotBuilt() {
    assertThatThrownBy(
            () -> TokenExchangeHeadersProvider.builder().tokenEndpoint(endpoint.uri()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clientAuthentication must be set");
    assertThatThrownBy(
            () ->
                ClientCredentialsHeadersProvider.builder()
                    .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("exactly one of tokenEndpoint and issuer must be set");
  }

  private static String jwtExpiringAt(long epochSecond) {
    return new PlainJWT(
            new JWTClaimsSet.Builder()
                .subject("someone")
                .expirationTime(new Date(epochSecond * 1000))
                .build())
        .serialize();
  }
}
