package io.github.mcprunner.headers.oauth.store;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** {@link TokenStore#inMemory(long)}: Caffeine maps in this JVM. */
final class InMemoryTokenStore implements TokenStore {
  private static final long MAX_NANOS = Duration.ofDays(36500).toNanos();

  private final Clock clock = Clock.systemUTC();
  private final Cache<TokenKey, StoredToken> tokens;
  private final ConcurrentMap<String, ClientRegistration> registrations = new ConcurrentHashMap<>();
  private final ConcurrentMap<TokenKey, Holder> leases = new ConcurrentHashMap<>();

  private static final class Holder implements Lease {
    final InMemoryTokenStore store;
    final TokenKey key;
    final long untilMillis;

    Holder(InMemoryTokenStore store, TokenKey key, long untilMillis) {
      this.store = store;
      this.key = key;
      this.untilMillis = untilMillis;
    }

    @Override
    public void close() {
      store.leases.remove(key, this);
    }
  }

  InMemoryTokenStore(long maximumSize) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1");
    }
    this.tokens =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .executor(Runnable::run)
            .expireAfter(
                Expiry.writing(
                    (TokenKey key, StoredToken token) ->
                        token.refreshToken() != null
                            ? Duration.ofNanos(MAX_NANOS)
                            : Duration.ofNanos(
                                Math.min(
                                    MAX_NANOS,
                                    Math.max(
                                        0,
                                        Duration.between(clock.instant(), token.expiresAt())
                                            .toNanos())))))
            .build();
  }

  @Override
  public @Nullable StoredToken getToken(TokenKey key) {
    StoredToken token = tokens.getIfPresent(requireNonNull(key, "key"));
    return token != null
            && (token.refreshToken() != null || token.expiresAt().isAfter(clock.instant()))
        ? token
        : null;
  }

  @Override
  public void putToken(TokenKey key, StoredToken token) {
    tokens.put(requireNonNull(key, "key"), requireNonNull(token, "token"));
  }

  @Override
  public void removeToken(TokenKey key, String accessToken) {
    tokens.asMap().computeIfPresent(key, (k, t) -> t.accessToken().equals(accessToken) ? null : t);
  }

  @Override
  public @Nullable ClientRegistration getRegistration(String issuer) {
    return registrations.get(requireNonNull(issuer, "issuer"));
  }

  @Override
  public void putRegistration(ClientRegistration registration) {
    registrations.put(registration.issuer(), registration);
  }

  @Override
  public void removeRegistration(String issuer, String clientId) {
    registrations.computeIfPresent(issuer, (k, r) -> r.clientId().equals(clientId) ? null : r);
  }

  @Override
  public @Nullable Lease tryLease(TokenKey key, Duration ttl) {
    long now = clock.millis();
    Holder mine = new Holder(this, key, now + ttl.toMillis());
    Holder won =
        leases.compute(key, (k, held) -> held == null || held.untilMillis <= now ? mine : held);
    return won == mine ? mine : null;
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore{tokens=" + tokens.estimatedSize() + "}";
  }
}
