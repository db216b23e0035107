package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.HeaderContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Expiry and refresh against the real IdP, whose tokens are dated by the same controlled clock as
 * the provider: time moves only when the test moves it. Token requests run on the calling thread
 * here, so a refresh started by one resolution has finished when the next one starts.
 */
class ExpiryAndRefreshTest {

  private static TokenExchangeHeadersProvider provider(TestIdp idp, MutableClock clock) {
    return TokenExchangeHeadersProvider.builder()
        .tokenEndpoint(idp.tokenEndpoint())
        .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
        .clock(clock)
        .executor(Runnable::run)
        .clockSkew(Duration.ofSeconds(60))
        .maxAttempts(2)
        .retryBackoff(Duration.ZERO)
        .build();
  }

  @Test
  void overAnHourOfRunsNoExpiredTokenIsEverSentAndTokensAreRefreshedAheadOfExpiry() {
    MutableClock clock = MutableClock.aheadOfWallClock();
    try (TestIdp idp = new TestIdp(clock)) {
      idp.lifetime(Duration.ofSeconds(120));
      TokenExchangeHeadersProvider provider = provider(idp, clock);
      HeaderContext context = forUser(CRM, idp.userToken("alice"));
      Set<String> distinct = new LinkedHashSet<>();
      long minRemainingSeconds = Long.MAX_VALUE;
      int resolutions = 0;

      for (int second = 0; second <= 3600; second += 7) {
        String token = bearer(provider.headers(context));
        resolutions++;
        Instant expiry = TestIdp.claims(token).getExpirationTime().toInstant();
        long remaining = Duration.between(clock.instant(), expiry).toSeconds();
        assertThat(expiry).as("token sent at +%d s", second).isAfter(clock.instant());
        minRemainingSeconds = Math.min(minRemainingSeconds, remaining);
        distinct.add(token);
        clock.advance(Duration.ofSeconds(7));
      }

      int requests = idp.takeTokenRequests().size();
      System.out.println(
          "expiry: "
              + resolutions
              + " resolutions over 3600 s of controlled time, 120 s tokens, 60 s skew -> "
              + requests
              + " token requests, "
              + distinct.size()
              + " distinct tokens, expired tokens sent: 0, least remaining lifetime of a sent"
              + " token: "
              + minRemainingSeconds
              + " s");
      // A token is replaced once less than the 60 s margin remains: every 63 s with 7 s steps.
      assertThat(minRemainingSeconds).isGreaterThanOrEqualTo(50);
      assertThat(requests).isEqualTo(distinct.size()).isBetween(3600 / 70, 3600 / 60 + 2);
    }
  }

  @Test
  void aValidTokenStaysInUseWhileItsRefreshFailsButIsNeverSentOnceExpired() {
    MutableClock clock = MutableClock.aheadOfWallClock();
    TestIdp idp = new TestIdp(clock);
    idp.lifetime(Duration.ofSeconds(120));
    TokenExchangeHeadersProvider provider = provider(idp, clock);
    HeaderContext context = forUser(CRM, idp.userToken("bob"));
    String token = bearer(provider.headers(context));
    idp.stop();

    clock.advance(Duration.ofSeconds(70)); // inside the refresh margin: refresh fails
    assertThat(bearer(provider.headers(context))).isEqualTo(token);
    clock.advance(Duration.ofSeconds(49)); // one second of validity left
    assertThat(bearer(provider.headers(context))).isEqualTo(token);
    clock.advance(Duration.ofSeconds(1)); // expired

    assertThatThrownBy(() -> provider.headers(context))
        .isInstanceOf(OAuthTokenException.class)
        .hasMessageContaining("could not connect to the token endpoint")
        .hasMessageNotContaining(token);
  }

  @Test
  void tokensShorterLivedThanTheMarginAreRefreshedAtHalfTheirLifetime() {
    MutableClock clock = MutableClock.aheadOfWallClock();
    try (TestIdp idp = new TestIdp(clock)) {
      idp.lifetime(Duration.ofSeconds(30));
      TokenExchangeHeadersProvider provider = provider(idp, clock);
      HeaderContext context = forUser(CRM, idp.userToken("carol"));
      String first = bearer(provider.headers(context));

      for (int i = 0; i < 14; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(bearer(provider.headers(context))).isEqualTo(first);
      }
      assertThat(idp.takeTokenRequests()).hasSize(1);

      clock.advance(Duration.ofSeconds(1)); // 15 s: half the lifetime
      assertThat(bearer(provider.headers(context))).isEqualTo(first);
      String second = bearer(provider.headers(context));

      assertThat(second).isNotEqualTo(first);
      assertThat(idp.takeTokenRequests()).hasSize(1);
    }
  }
}
