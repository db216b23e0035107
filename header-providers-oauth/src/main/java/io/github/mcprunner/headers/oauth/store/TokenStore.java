package io.github.mcprunner.headers.oauth.store;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where OAuth providers keep issued tokens (with their refresh tokens) and dynamic client
 * registrations, and how instances sharing the store agree on which one asks the token endpoint.
 *
 * <p>A provider keeps its tokens in memory in front of the store: it reads the store only when it
 * holds no valid token, and writes it every time it obtains one. Before asking the token endpoint
 * it takes a {@linkplain #tryLease lease} on the key; an instance that does not get it waits for
 * the token the holder stores (reading the store again), and asks itself when the lease's time runs
 * out.
 *
 * <p>Implementations are thread-safe. A method that cannot do its work throws {@link
 * TokenStoreException} (fail closed); an implementation may instead be configured to carry on
 * without the shared state (answering as an empty store that grants every lease). Methods may block
 * on I/O; providers call them on their token request threads, never on the hot path of a warm
 * token.
 */
public interface TokenStore extends AutoCloseable {

  /**
   * Returns a store holding everything in this JVM's memory: tokens until they expire, those with a
   * refresh token until evicted (at most {@code maximumSize} tokens in all), registrations and
   * leases. Useful to share tokens between providers rebuilt within one process; several instances
   * of a service need a shared store instead.
   */
  static TokenStore inMemory(long maximumSize) {
    return new InMemoryTokenStore(maximumSize);
  }

  /**
   * Returns the token stored under {@code key}, or null. A token that carries a refresh token may
   * be returned after it has expired (implementations keep such tokens longer, so that a user can
   * be renewed without signing in again); callers check {@link StoredToken#expiresAt()}.
   */
  @Nullable StoredToken getToken(TokenKey key);

  /**
   * Stores {@code token} under {@code key}, replacing any: until it expires, or longer when it
   * carries a refresh token.
   */
  void putToken(TokenKey key, StoredToken token);

  /**
   * Removes the token stored under {@code key} if its access token is still {@code accessToken}: a
   * token another instance stored meanwhile is kept.
   */
  void removeToken(TokenKey key, String accessToken);

  /** Returns the client registered with authorization server {@code issuer}, or null. */
  @Nullable ClientRegistration getRegistration(String issuer);

  /** Stores {@code registration} under its issuer, replacing any. */
  void putRegistration(ClientRegistration registration);

  /**
   * Removes the registration with {@code issuer} if its client id is still {@code clientId}: the
   * authorization server refused it, and the next authorization registers again.
   */
  void removeRegistration(String issuer, String clientId);

  /**
   * Takes the lease on {@code key} for at most {@code ttl} if no one holds it: the right to ask the
   * token endpoint for that key. Returns null when another holder (in this or another instance) has
   * it. A lease ends when released or when its time runs out, whichever comes first; only its
   * holder can release it.
   */
  @Nullable Lease tryLease(TokenKey key, Duration ttl);

  /** Releases what the store holds (connections); the default does nothing. */
  @Override
  default void close() {}

  /** The right to ask the token endpoint for one key, for a bounded time. */
  interface Lease extends AutoCloseable {
    /** Releases the lease if it is still this holder's; does nothing otherwise. */
    @Override
    void close();
  }
}
