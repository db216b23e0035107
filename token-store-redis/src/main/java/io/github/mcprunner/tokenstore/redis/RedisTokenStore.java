package io.github.mcprunner.tokenstore.redis;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.StoredToken;
import io.github.mcprunner.headers.oauth.store.TokenKey;
import io.github.mcprunner.headers.oauth.store.TokenStore;
import io.github.mcprunner.headers.oauth.store.TokenStoreException;
import io.github.mcprunner.tokenstore.redis.internal.ValueCodec;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} on Redis, shared by every instance of a service: tokens (with their refresh
 * tokens) and client registrations survive restarts, and one instance asks the token endpoint for
 * each user and server while the others wait for its token.
 *
 * <ul>
 *   <li>Values are encrypted with AES-GCM under the current key, and the key's id is stored with
 *       each value: configure the new key as current and keep the old ones to rotate. Without a key
 *       {@link Builder#build()} refuses, unless told to {@linkplain Builder#storeInClear store in
 *       clear}.
 *   <li>Keys are {@code <namespace>:token:<digest>}, {@code <namespace>:registration:<digest>} and
 *       {@code <namespace>:lease:<digest>}: digests, so Redis holds no user id, server or issuer in
 *       clear. A token lives until it expires, or for {@link Builder#refreshTokenRetention} when it
 *       carries a refresh token (so a user signed in before a restart is not asked again).
 *   <li>The lease is {@code SET NX PX} with a random owner value, released only by its owner.
 *   <li>The providers' in-memory token cache stays in front of this store: a warm token costs no
 *       Redis round trip.
 *   <li>When Redis cannot be reached: {@link WhenUnavailable#FAIL_CLOSED} (the default) obtains no
 *       token and fails the request with a clear error; {@link WhenUnavailable#LOCAL_ONLY} carries
 *       on with this instance's memory, with one warning, and shares again once Redis answers.
 * </ul>
 *
 * <p>Thread-safe; one connection, multiplexed. {@link #close()} closes it.
 */
public final class RedisTokenStore implements TokenStore {
  private static final Logger log = LoggerFactory.getLogger(RedisTokenStore.class);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** Deletes KEYS[1] only if it still holds ARGV[1]: release of a lease, conditional removals. */
  private static final String DELETE_IF_EQUAL =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else"
          + " return 0 end";

  /** What the store does when Redis cannot be reached. */
  public enum WhenUnavailable {
    /** Obtain no token: the request is not sent, and the run fails naming the provider. */
    FAIL_CLOSED,
    /**
     * Carry on with this instance's memory only (one warning), as if there were no shared store;
     * share again once Redis answers.
     */
    LOCAL_ONLY
  }

  private final RedisClient client;
  private final ClientResources resources;
  private final String where;
  private final String namespace;
  private final ValueCodec codec;
  private final WhenUnavailable whenUnavailable;
  private final Duration refreshTokenRetention;
  private final Clock clock;
  private final TokenStore local;
  private final SecureRandom random = new SecureRandom();
  private final AtomicBoolean degraded = new AtomicBoolean();

  /** While degraded ({@code LOCAL_ONLY}), Redis is tried again at most this often. */
  private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private volatile long nextProbeNanos;
  private final Object connecting = new Object();
  private volatile @Nullable StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  private RedisTokenStore(Builder builder, ValueCodec codec) {
    RedisURI uri = requireNonNull(builder.uri);
    this.where = uri.getHost() + ":" + uri.getPort();
    this.namespace = builder.namespace;
    this.codec = codec;
    this.whenUnavailable = builder.whenUnavailable;
    this.refreshTokenRetention = builder.refreshTokenRetention;
    this.clock = builder.clock;
    this.local = TokenStore.inMemory(builder.localMaximumSize);
    this.resources =
        ClientResources.builder()
            // The JDK's resolver (hosts file, system DNS), as every other client of the service.
            .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), builder.maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
            .build();
    this.client =
        RedisClient.create(resources, RedisURI.builder(uri).withTimeout(builder.timeout).build());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // While disconnected, fail at once instead of queueing commands until they time out.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(builder.timeout).build())
            .timeoutOptions(TimeoutOptions.enabled(builder.timeout))
            .build());
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public @Nullable StoredToken getToken(TokenKey key) {
    String redisKey = tokenKey(key);
    return shared(
        () -> {
          String value = commands().get(redisKey);
          return value == null ? null : decodeToken(redisKey, value);
        },
        () -> local.getToken(key));
  }

  @Override
  public void putToken(TokenKey key, StoredToken token) {
    local.putToken(key, token);
    String redisKey = tokenKey(key);
    long ttl = token.expiresAt().toEpochMilli() - clock.millis();
    if (token.refreshToken() != null) {
      ttl = Math.max(ttl, refreshTokenRetention.toMillis());
    }
    if (ttl <= 0) {
      return;
    }
    long millis = ttl;
    shared(
        () -> commands().set(redisKey, codec.encode(redisKey, token), SetArgs.Builder.px(millis)),
        () -> null);
  }

  @Override
  public void removeToken(TokenKey key, String accessToken) {
    local.removeToken(key, accessToken);
    String redisKey = tokenKey(key);
    shared(
        () -> {
          RedisCommands<String, String> redis = commands();
          String value = redis.get(redisKey);
          StoredToken stored = value == null ? null : decodeToken(redisKey, value);
          if (stored != null && accessToken.equals(stored.accessToken())) {
            deleteIfEqual(redis, redisKey, value);
          }
          return null;
        },
        () -> null);
  }

  @Override
  public @Nullable ClientRegistration getRegistration(String issuer) {
    String redisKey = registrationKey(issuer);
    return shared(
        () -> {
          String value = commands().get(redisKey);
          if (value == null) {
            return null;
          }
          ClientRegistration found = decodeRegistration(redisKey, value);
          return found != null && found.issuer().equals(issuer) ? found : null;
        },
        () -> local.getRegistration(issuer));
  }

  @Override
  public void putRegistration(ClientRegistration registration) {
    local.putRegistration(registration);
    String redisKey = registrationKey(registration.issuer());
    shared(() -> commands().set(redisKey, codec.encode(redisKey, registration)), () -> null);
  }

  @Override
  public void removeRegistration(String issuer, String clientId) {
    local.removeRegistration(issuer, clientId);
    String redisKey = registrationKey(issuer);
    shared(
        () -> {
          RedisCommands<String, String> redis = commands();
          String value = redis.get(redisKey);
          ClientRegistration found = value == null ? null : decodeRegistration(redisKey, value);
          if (found != null && found.clientId().equals(clientId)) {
            deleteIfEqual(redis, redisKey, requireNonNull(value));
          }
          return null;
        },
        () -> null);
  }

  @Override
  public @Nullable Lease tryLease(TokenKey key, Duration ttl) {
    String redisKey = namespace + ":lease:" + key.id();
    byte[] ownerBytes = new byte[16];
    random.nextBytes(ownerBytes);
    String owner = Base64.getUrlEncoder().withoutPadding().encodeToString(ownerBytes);
    long millis = Math.max(1, ttl.toMillis());
    return shared(
        () -> {
          String ok = commands().set(redisKey, owner, SetArgs.Builder.nx().px(millis));
          return "OK".equals(ok) ? new RedisLease(redisKey, owner) : null;
        },
        () -> local.tryLease(key, ttl));
  }

  private final class RedisLease implements Lease {
    private final String redisKey;
    private final String owner;
    private final AtomicBoolean released = new AtomicBoolean();

    RedisLease(String redisKey, String owner) {
      this.redisKey = redisKey;
      this.owner = owner;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        try {
          deleteIfEqual(commands(), redisKey, owner);
        } catch (RedisException e) {
          // Its time runs out on its own.
          log.debug("A lease could not be released in Redis at {}; it expires on its own", where);
        }
      }
    }
  }

  /** Returns whether the store is working without Redis right now ({@code LOCAL_ONLY}). */
  public boolean isDegraded() {
    return degraded.get();
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> open = connection;
    if (open != null) {
      open.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private <T> T shared(Supplier<T> redis, Supplier<T> fallback) {
    if (degraded.get() && System.nanoTime() - nextProbeNanos < 0) {
      // Not every call waits for an unreachable Redis: it is probed once a second meanwhile.
      return fallback.get();
    }
    try {
      T answer = redis.get();
      if (degraded.compareAndSet(true, false)) {
        log.info("Token store: Redis at {} answers again; tokens are shared again", where);
      }
      return answer;
    } catch (RedisException e) {
      if (whenUnavailable == WhenUnavailable.FAIL_CLOSED) {
        throw new TokenStoreException(
            "Redis at " + where + " is unavailable (" + e.getClass().getSimpleName() + ")");
      }
      nextProbeNanos = System.nanoTime() + PROBE_NANOS;
      if (degraded.compareAndSet(false, true)) {
        log.warn(
            "Token store: Redis at {} is unavailable ({}); this instance carries on with its own"
                + " memory (tokens are not shared, nor kept across a restart) until it answers"
                + " again",
            where,
            e.getClass().getSimpleName());
      }
      return fallback.get();
    }
  }

  private RedisCommands<String, String> commands() {
    if (closed) {
      throw new TokenStoreException("the token store is closed");
    }
    StatefulRedisConnection<String, String> open = connection;
    if (open == null) {
      synchronized (connecting) {
        open = connection;
        if (open == null) {
          // Connected on first use: the store can be built while Redis is down.
          open = client.connect();
          connection = open;
        }
      }
    }
    return open.sync();
  }

  private static void deleteIfEqual(RedisCommands<String, String> redis, String key, String value) {
    redis.eval(DELETE_IF_EQUAL, ScriptOutputType.INTEGER, new String[] {key}, value);
  }

  private @Nullable StoredToken decodeToken(String redisKey, String value) {
    try {
      return codec.decodeToken(redisKey, value);
    } catch (IllegalArgumentException e) {
      log.warn("Token store: a token in Redis at {} is ignored: {}", where, e.getMessage());
      return null;
    }
  }

  private @Nullable ClientRegistration decodeRegistration(String redisKey, String value) {
    try {
      return codec.decodeRegistration(redisKey, value);
    } catch (IllegalArgumentException e) {
      log.warn(
          "Token store: a client registration in Redis at {} is ignored: {}",
          where,
          e.getMessage());
      return null;
    }
  }

  private String tokenKey(TokenKey key) {
    return namespace + ":token:" + key.id();
  }

  private String registrationKey(String issuer) {
    return namespace + ":registration:" + digest(issuer);
  }

  private static String digest(String text) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "RedisTokenStore{redis="
        + where
        + ", namespace="
        + namespace
        + ", encryption="
        + (codec.currentKeyId() == null ? "none" : "AES-GCM key '" + codec.currentKeyId() + "'")
        + ", whenUnavailable="
        + whenUnavailable
        + "}";
  }

  /** Builds a {@link RedisTokenStore}. Not thread-safe. */
  public static final class Builder {
    /** Default key prefix: {@code mcp-runner}. */
    public static final String DEFAULT_NAMESPACE = "mcp-runner";

    private @Nullable RedisURI uri;
    private String namespace = DEFAULT_NAMESPACE;
    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private @Nullable String currentKeyId;
    private boolean storeInClear;
    private WhenUnavailable whenUnavailable = WhenUnavailable.FAIL_CLOSED;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration maxReconnectDelay = Duration.ofSeconds(2);
    private Duration refreshTokenRetention = Duration.ofDays(30);
    private long localMaximumSize = 10_000;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the Redis to use, as a URI: {@code redis://host:6379}, {@code rediss://} for TLS, with
     * {@code redis://user:password@host} or {@code redis://:password@host} for credentials and
     * {@code /2} for a database. Required.
     *
     * @throws IllegalArgumentException if {@code uri} is not a Redis URI (the message does not
     *     repeat it, since it may hold a password)
     */
    public Builder uri(String uri) {
      requireNonNull(uri, "uri");
      try {
        this.uri = RedisURI.create(uri);
      } catch (IllegalArgumentException e) {
        // Lettuce's and the JDK's messages quote the whole URI, password included: neither the
        // message nor the exception as cause is passed on.
        throw new IllegalArgumentException(
            "the Redis uri is not a valid Redis URI (redis://[user:password@]host[:port][/db],"
                + " rediss:// for TLS); the URI is not repeated here, it may hold a password");
      }
      return this;
    }

    /** Sets the Redis to use (Lettuce's own form, e.g. with Sentinel). */
    public Builder uri(RedisURI uri) {
      this.uri = requireNonNull(uri, "uri");
      return this;
    }

    /**
     * Sets the prefix of every key, to share one Redis between services. Default {@code
     * mcp-runner}.
     */
    public Builder namespace(String namespace) {
      if (!NAMESPACE.matcher(requireNonNull(namespace, "namespace")).matches()) {
        throw new IllegalArgumentException(
            "namespace must be 1 to 64 letters, digits, '_', '.', ':' or '-'");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Adds an AES key (16, 24 or 32 bytes) under {@code keyId} (letters, digits, {@code _}, {@code
     * -}). The first key added is the current one unless {@link #currentKey} says otherwise; the
     * others only decrypt values written before a rotation.
     */
    public Builder encryptionKey(String keyId, byte[] key) {
      keys.put(requireNonNull(keyId, "keyId"), requireNonNull(key, "key").clone());
      if (currentKeyId == null) {
        currentKeyId = keyId;
      }
      return this;
    }

    /** Sets the id of the key new values are encrypted with. */
    public Builder currentKey(String keyId) {
      this.currentKeyId = requireNonNull(keyId, "keyId");
      return this;
    }

    /**
     * Stores tokens and client secrets in clear, readable by anyone who can read Redis. Off by
     * default: without an encryption key {@link #build()} refuses.
     */
    public Builder storeInClear(boolean storeInClear) {
      this.storeInClear = storeInClear;
      return this;
    }

    /**
     * Sets what happens when Redis cannot be reached. Default {@link WhenUnavailable#FAIL_CLOSED}.
     */
    public Builder whenUnavailable(WhenUnavailable whenUnavailable) {
      this.whenUnavailable = requireNonNull(whenUnavailable, "whenUnavailable");
      return this;
    }

    /** Sets the connect and command timeout. Default 2 seconds. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Sets the longest pause between attempts to reconnect to Redis. Default 2 seconds. */
    public Builder maxReconnectDelay(Duration maxReconnectDelay) {
      this.maxReconnectDelay = positive(maxReconnectDelay, "maxReconnectDelay");
      return this;
    }

    /**
     * Sets how long a token that carries a refresh token is kept (from when it is stored, and at
     * least until it expires), so a user is not asked to sign in again after a restart. Default 30
     * days; set it to the refresh token lifetime of your authorization server.
     */
    public Builder refreshTokenRetention(Duration refreshTokenRetention) {
      this.refreshTokenRetention = positive(refreshTokenRetention, "refreshTokenRetention");
      return this;
    }

    /**
     * Sets the most tokens kept in memory for {@link WhenUnavailable#LOCAL_ONLY}. Default 10,000.
     */
    public Builder localMaximumSize(long localMaximumSize) {
      if (localMaximumSize < 1) {
        throw new IllegalArgumentException("localMaximumSize must be at least 1");
      }
      this.localMaximumSize = localMaximumSize;
      return this;
    }

    /** Sets the clock token lifetimes are measured against. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns the store. It connects on first use, so it can be built while Redis is down.
     *
     * @throws IllegalStateException if no Redis URI is set, or no encryption key is set and storing
     *     in clear was not asked for
     * @throws IllegalArgumentException if a key is unusable (the message names its id, never the
     *     key)
     */
    public RedisTokenStore build() {
      if (uri == null) {
        throw new IllegalStateException("the Redis uri must be set");
      }
      ValueCodec codec;
      if (keys.isEmpty()) {
        if (!storeInClear) {
          throw new IllegalStateException(
              "no encryption key is set: tokens and client secrets would be stored in clear in"
                  + " Redis; set encryptionKey(id, key), or storeInClear(true) to accept that");
        }
        codec = ValueCodec.clear();
      } else {
        codec = ValueCodec.encrypting(keys, requireNonNull(currentKeyId));
      }
      return new RedisTokenStore(this, codec);
    }

    private static Duration positive(Duration value, String name) {
      if (requireNonNull(value, name).isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
