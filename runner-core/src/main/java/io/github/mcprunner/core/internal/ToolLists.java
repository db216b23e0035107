package io.github.mcprunner.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The tool lists of one stateless server as its {@code tools/list} answers allow them to be kept:
 * one {@code public} list that serves every identity, or {@code private} lists kept per identity,
 * never both (a new list of one scope drops those of the other). Each list is fresh until its
 * {@code ttlMs} has passed; a stale one is still handed out where the caller allows it. Bounded as
 * the server's session pool is: at most {@code maxIdentities} lists (the server's {@code
 * maxSessions}), and a list not asked for within {@code idleTimeout} (its {@code
 * sessionIdleTimeout}) is dropped, so a service with millions of users keeps no list for each of
 * them. Thread-safe. Not public API.
 *
 * @param <T> the kept list
 */
final class ToolLists<T> {
  private static final String PUBLIC = "public";

  private record Entry<T>(T list, long freshUntilNanos, boolean isPublic) {}

  private final Cache<String, Entry<T>> lists;
  private final LongSupplier nanos;

  ToolLists(int maxIdentities, Duration idleTimeout, LongSupplier nanos) {
    this.nanos = nanos;
    this.lists =
        Caffeine.newBuilder()
            .maximumSize(maxIdentities)
            .expireAfterAccess(idleTimeout)
            .ticker(nanos::getAsLong)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Returns the list {@code identity} may see: the public list, else its own; null when none is
   * kept, or when {@code freshOnly} and the list kept is past its time to live.
   */
  @Nullable T get(String identity, boolean freshOnly) {
    long now = nanos.getAsLong();
    Entry<T> shared = lists.getIfPresent(PUBLIC);
    if (shared != null && (!freshOnly || now - shared.freshUntilNanos() < 0)) {
      return shared.list();
    }
    Entry<T> own = lists.getIfPresent(key(identity));
    if (own != null && (!freshOnly || now - own.freshUntilNanos() < 0)) {
      return own.list();
    }
    return null;
  }

  /**
   * Keeps {@code list}, fresh for {@code ttlMillis}: for every identity when {@code isPublic}
   * (dropping the private lists), else for {@code identity} only (dropping the public list).
   */
  void put(String identity, T list, boolean isPublic, long ttlMillis) {
    Entry<T> entry =
        new Entry<>(list, nanos.getAsLong() + Duration.ofMillis(ttlMillis).toNanos(), isPublic);
    if (isPublic) {
      lists.asMap().keySet().removeIf(k -> !k.equals(PUBLIC));
      lists.put(PUBLIC, entry);
    } else {
      lists.invalidate(PUBLIC);
      lists.put(key(identity), entry);
    }
  }

  /** Drops every list. */
  void clear() {
    lists.invalidateAll();
  }

  /** Returns how many lists are kept, once pending expiry and eviction have run (tests). */
  long size() {
    lists.cleanUp();
    return lists.estimatedSize();
  }

  private static String key(String identity) {
    return "identity:" + identity;
  }
}
