package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.headers.oauth.store.StoredToken;
import io.github.mcprunner.headers.oauth.store.TokenKey;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens by {@link CacheKey}, with single-flight fetching and refresh ahead of expiry.
 *
 * <ul>
 *   <li>A hit is a lock-free Caffeine read and a clock read: no I/O.
 *   <li>Many concurrent resolutions of a missing or expired key share one fetch ({@code inFlight}).
 *   <li>A token past its refresh instant but still valid is returned at once while one background
 *       fetch replaces it; a failed background fetch is logged, the token stays in use until it
 *       expires, and the next refresh is tried a few seconds later (not on every request).
 *   <li>An expired token is never returned: Caffeine drops it at its expiry instant (its ticker
 *       reads the injected clock) and every hit is checked against the clock again.
 *   <li>Size is bounded; Caffeine evicts the least useful entries.
 *   <li>With a shared {@link TokenStore}, this cache is its local layer: a hit never reads the
 *       store. A miss (or a refresh) reads the store first, then takes the store's lease on the key
 *       and asks the token endpoint only while holding it; an instance that does not get the lease
 *       waits for the token the holder stores, and asks itself when the lease's time runs out.
 *       Every token obtained is written to the store; a token dropped here (HTTP 401) is dropped
 *       from the store too, unless another instance has replaced it meanwhile.
 * </ul>
 *
 * <p>Fetches run on the given executor. Not public API.
 */
public final class TokenCache {
  private static final Logger log = LoggerFactory.getLogger(TokenCache.class);
  private static final long MAX_ENTRY_LIFETIME_MILLIS = Duration.ofDays(36500).toMillis();

  /** Longest pause between refresh attempts after a failed refresh of a still-valid token. */
  static final long REFRESH_RETRY_MILLIS = 5_000;

  private final String providerName;
  private final TokenFetcher fetcher;
  private final Clock clock;
  private final Executor executor;
  private final Duration maxWait;
  private final Cache<CacheKey, IssuedToken> tokens;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<IssuedToken>> inFlight =
      new ConcurrentHashMap<>();
  private final @Nullable TokenStore store;

  /** How often a fetch waiting for another instance's token reads the store. */
  static final long STORE_POLL_MILLIS = 20;

  /**
   * Creates a cache.
   *
   * @param providerName for log lines
   * @param fetcher obtains new tokens
   * @param clock the time tokens expire against
   * @param executor runs fetches
   * @param maximumSize most tokens kept
   * @param maxWait longest a resolution waits for a fetch
   */
  public TokenCache(
      String providerName,
      TokenFetcher fetcher,
      Clock clock,
      Executor executor,
      long maximumSize,
      Duration maxWait) {
    this(providerName, fetcher, clock, executor, maximumSize, maxWait, null);
  }

  /**
   * Creates a cache in front of a shared token store.
   *
   * @param store the shared store, or null to keep tokens in this cache only
   */
  public TokenCache(
      String providerName,
      TokenFetcher fetcher,
      Clock clock,
      Executor executor,
      long maximumSize,
      Duration maxWait,
      @Nullable TokenStore store) {
    this.store = store;
    this.providerName = requireNonNull(providerName, "providerName");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.clock = requireNonNull(clock, "clock");
    this.executor = requireNonNull(executor, "executor");
    this.maxWait = requireNonNull(maxWait, "maxWait");
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1");
    }
    Ticker ticker = ClockTicker.of(clock);
    this.tokens =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfter(
                Expiry.writing(
                    (CacheKey key, IssuedToken token) ->
                        Duration.ofMillis(
                            Math.min(
                                MAX_ENTRY_LIFETIME_MILLIS,
                                Math.max(0, token.expiresAtMillis() - clock.millis())))))
            .build();
  }

  /**
   * Returns a valid token for {@code key}: the cached one, or one fetched now (shared with every
   * concurrent resolution of the same key).
   *
   * @param serverName the MCP server the token is needed for, for messages
   * @throws TokenFetchException if no valid token could be obtained within the wait limit
   */
  public IssuedToken get(CacheKey key, String serverName) throws TokenFetchException {
    long now = clock.millis();
    IssuedToken cached = tokens.getIfPresent(key);
    if (cached != null && cached.isValidAt(now)) {
      if (cached.needsRefreshAt(now) && !inFlight.containsKey(key)) {
        refreshInBackground(key, serverName, cached);
      }
      return cached;
    }
    IssuedToken fresh = await(fetchOnce(key, serverName));
    if (!fresh.isValidAt(clock.millis())) {
      throw new TokenFetchException("the token obtained expired before it could be used");
    }
    return fresh;
  }

  /**
   * Returns the cached token of {@code key} if it is still valid, without fetching or refreshing.
   */
  public @Nullable IssuedToken getIfValid(CacheKey key) {
    IssuedToken cached = tokens.getIfPresent(key);
    return cached != null && cached.isValidAt(clock.millis()) ? cached : null;
  }

  /**
   * Caches {@code token} for {@code key}, replacing any: for tokens obtained outside the fetcher
   * (an authorization the user completed).
   */
  public void put(CacheKey key, IssuedToken token) throws TokenFetchException {
    if (store != null) {
      try {
        store.putToken(storeKey(key), stored(token, key));
      } catch (TokenStoreException e) {
        throw storeFailure(e);
      }
    }
    tokens.put(key, token);
  }

  /**
   * Drops the cached token of {@code key}, if any, here and in the shared store (unless the store
   * holds another token by now); a fetch under way is left to finish.
   */
  public void invalidate(CacheKey key) {
    IssuedToken dropped = tokens.asMap().remove(key);
    if (store != null && dropped != null) {
      try {
        store.removeToken(storeKey(key), dropped.value());
      } catch (TokenStoreException e) {
        log.debug("Provider '{}' could not drop a token from the token store", providerName);
      }
    }
  }

  /**
   * Returns the token the shared store holds for {@code key}, expired or not (an expired one may
   * still carry a refresh token), or null when there is none or no store.
   *
   * @throws TokenFetchException if the store cannot be read
   */
  public @Nullable IssuedToken stored(CacheKey key) throws TokenFetchException {
    if (store == null) {
      return null;
    }
    try {
      StoredToken found = store.getToken(storeKey(key));
      return found == null ? null : issued(found);
    } catch (TokenStoreException e) {
      throw storeFailure(e);
    }
  }

  /** Returns the number of cached tokens (approximate, for tests and metrics). */
  public long size() {
    tokens.cleanUp();
    return tokens.estimatedSize();
  }

  private void refreshInBackground(CacheKey key, String serverName, IssuedToken current) {
    log.debug(
        "Provider '{}' refreshes the token for server '{}' ahead of its expiry",
        providerName,
        serverName);
    fetchOnce(key, serverName)
        .whenComplete(
            (token, failure) -> {
              if (failure != null) {
                long now = clock.millis();
                current.deferRefreshUntil(
                    now
                        + Math.min(
                            REFRESH_RETRY_MILLIS,
                            Math.max(0, (current.expiresAtMillis() - now) / 2)));
                log.warn(
                    "Provider '{}' could not refresh the token for server '{}' ahead of its expiry:"
                        + " {}; the current token stays in use until it expires, and refresh is"
                        + " tried again in a few seconds",
                    providerName,
                    serverName,
                    safeMessage(failure));
              }
            });
  }

  /** Returns the fetch under way for {@code key}, starting one if there is none. */
  private CompletableFuture<IssuedToken> fetchOnce(CacheKey key, String serverName) {
    CompletableFuture<IssuedToken> existing = inFlight.get(key);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<IssuedToken> mine = new CompletableFuture<>();
    existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    // Another fetch may have finished between our cache read and our claim: use its token.
    IssuedToken cached = tokens.getIfPresent(key);
    long now = clock.millis();
    if (cached != null && cached.isValidAt(now) && !cached.needsRefreshAt(now)) {
      inFlight.remove(key, mine);
      mine.complete(cached);
      return mine;
    }
    try {
      executor.execute(() -> runFetch(key, serverName, mine));
    } catch (RejectedExecutionException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(
          new TokenFetchException("the token request could not be started (executor rejected it)"));
    }
    return mine;
  }

  private void runFetch(CacheKey key, String serverName, CompletableFuture<IssuedToken> mine) {
    // Order matters: the token is cached, then the fetch is released, then its waiters wake. A
    // newcomer so sees the fetch or the token, and a waiter that invalidates the token at once
    // (HTTP 401) never finds this finished fetch still registered.
    try {
      IssuedToken token =
          store == null ? fetcher.fetch(key, serverName) : fetchShared(key, serverName);
      tokens.put(key, token);
      inFlight.remove(key, mine);
      mine.complete(token);
    } catch (TokenFetchException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
    } catch (TokenStoreException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(storeFailure(e));
    } catch (RuntimeException e) {
      // Not expected from the fetcher; its message is not trusted to be free of secrets.
      inFlight.remove(key, mine);
      mine.completeExceptionally(
          new TokenFetchException("the token request failed with " + e.getClass().getSimpleName()));
    } catch (Error e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Obtains a token through the shared store: the store's token if it is fresh, else the token
   * endpoint's, asked while holding the store's lease (or after waiting for the holder in vain).
   */
  private IssuedToken fetchShared(CacheKey key, String serverName) throws TokenFetchException {
    TokenStore shared = requireNonNull(store);
    TokenKey storeKey = storeKey(key);
    IssuedToken found = fresh(shared.getToken(storeKey));
    if (found != null) {
      return found;
    }
    // Half the wait: a waiter that gives up on the holder still has time to ask itself.
    Duration leaseTime = maxWait.dividedBy(2);
    long deadline = System.nanoTime() + leaseTime.toNanos();
    while (true) {
      TokenStore.Lease lease = shared.tryLease(storeKey, leaseTime);
      if (lease != null) {
        try (lease) {
          // The previous holder may have stored its token between our read and our lease.
          found = fresh(shared.getToken(storeKey));
          return found != null ? found : fetchAndStore(shared, storeKey, key, serverName);
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        log.debug(
            "Provider '{}' waited in vain for another instance's token for server '{}'; asking"
                + " itself",
            providerName,
            serverName);
        return fetchAndStore(shared, storeKey, key, serverName);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(STORE_POLL_MILLIS));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new TokenFetchException("interrupted while waiting for another instance's token");
      }
      found = fresh(shared.getToken(storeKey));
      if (found != null) {
        return found;
      }
    }
  }

  private IssuedToken fetchAndStore(
      TokenStore shared, TokenKey storeKey, CacheKey key, String serverName)
      throws TokenFetchException {
    IssuedToken token = fetcher.fetch(key, serverName);
    shared.putToken(storeKey, stored(token, key));
    return token;
  }

  /** Returns the stored token as an issued one if it is valid and not due for refresh, or null. */
  private @Nullable IssuedToken fresh(@Nullable StoredToken found) {
    if (found == null) {
      return null;
    }
    IssuedToken token = issued(found);
    long now = clock.millis();
    return token.isValidAt(now) && !token.needsRefreshAt(now) ? token : null;
  }

  private TokenKey storeKey(CacheKey key) {
    String resource = key.resource() != null ? key.resource() : key.audience();
    return TokenKey.of(
        providerName,
        storeSubject(key),
        resource == null ? "" : resource,
        "client_id=" + key.clientId() + "\naudience=" + key.audience() + "\nscope=" + key.scope());
  }

  /**
   * Whose token it is in the shared store: the subject token it was exchanged from, or the run
   * identity it was authorized for (authorization code grant), prefixed so that the one can never
   * stand for the other; null for tokens of no user (client credentials).
   */
  private static @Nullable String storeSubject(CacheKey key) {
    if (key.subjectToken() != null) {
      return "subject-token:" + key.subjectToken();
    }
    return key.identity() != null ? "identity:" + key.identity() : null;
  }

  private static StoredToken stored(IssuedToken token, CacheKey key) {
    return StoredToken.of(
        token.value(),
        Instant.ofEpochMilli(token.expiresAtMillis()),
        Instant.ofEpochMilli(token.refreshAtMillis()),
        token.refreshToken(),
        key.scope());
  }

  private static IssuedToken issued(StoredToken found) {
    long expiresAt = found.expiresAt().toEpochMilli();
    return IssuedToken.of(
        found.accessToken(),
        expiresAt,
        Math.min(expiresAt, found.refreshAt().toEpochMilli()),
        found.refreshToken());
  }

  private TokenFetchException storeFailure(TokenStoreException e) {
    return new TokenFetchException("the token store failed: " + e.getMessage());
  }

  private IssuedToken await(CompletableFuture<IssuedToken> pending) throws TokenFetchException {
    try {
      return pending.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TokenFetchException) {
        throw (TokenFetchException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new TokenFetchException("the token request failed");
    } catch (TimeoutException e) {
      throw new TokenFetchException("no token within " + maxWait.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException("interrupted while waiting for a token");
    }
  }

  private static String safeMessage(Throwable failure) {
    return failure instanceof TokenFetchException
        ? requireNonNullElse(failure.getMessage(), "the token request failed")
        : failure.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "TokenCache{provider=" + providerName + ", size=" + tokens.estimatedSize() + "}";
  }
}
