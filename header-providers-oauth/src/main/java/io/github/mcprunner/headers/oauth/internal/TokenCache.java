package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  public void put(CacheKey key, IssuedToken token) {
    tokens.put(key, token);
  }

  /** Drops the cached token of {@code key}, if any; a fetch under way is left to finish. */
  public void invalidate(CacheKey key) {
    tokens.invalidate(key);
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
      IssuedToken token = fetcher.fetch(key, serverName);
      tokens.put(key, token);
      inFlight.remove(key, mine);
      mine.complete(token);
    } catch (TokenFetchException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
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
        ? failure.getMessage()
        : failure.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "TokenCache{provider=" + providerName + ", size=" + tokens.estimatedSize() + "}";
  }
}
