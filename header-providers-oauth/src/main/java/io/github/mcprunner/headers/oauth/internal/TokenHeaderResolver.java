package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.OAuthTokenException;
import io.github.mcprunner.headers.oauth.TokenTarget;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work shared by the OAuth providers: which servers they apply to, what each server's token is
 * requested for, the subject token of a run, the cache lookup and the 401 invalidation. Not public
 * API.
 */
public final class TokenHeaderResolver implements HeaderResolver {
  private static final Logger log = LoggerFactory.getLogger(TokenHeaderResolver.class);

  /**
   * Where a run's subject token comes from, and whether a run without one fails.
   *
   * @param key the run-context key holding the subject token
   * @param required whether a run without one fails its requests (else nothing is contributed)
   * @param missing what a run lacks without it, for the error ({@code subject token (…)}), or null
   *     for the default wording
   */
  public record SubjectPolicy(ContextKey<String> key, boolean required, @Nullable String missing) {
    /** Checks the key is set. */
    public SubjectPolicy {
      requireNonNull(key, "key");
    }

    /** Returns a policy with the default wording. */
    public SubjectPolicy(ContextKey<String> key, boolean required) {
      this(key, required, null);
    }
  }

  /**
   * The settings of a resolver.
   *
   * @param providerName the provider's name, for messages
   * @param clientId the OAuth client id, part of every cache key
   * @param subject the subject policy of a token exchange, or null for grants without a subject
   * @param servers server names or URIs the provider applies to; empty for all
   * @param targets per-server overrides, by server name
   * @param defaultScope the scope requested where no target sets one, or null
   * @param sendAudience whether the server's canonical URI is sent as {@code audience} by default
   * @param sendResource whether the server's canonical URI is sent as {@code resource} by default
   */
  public record Settings(
      String providerName,
      String clientId,
      @Nullable SubjectPolicy subject,
      Set<String> servers,
      Map<String, TokenTarget> targets,
      @Nullable String defaultScope,
      boolean sendAudience,
      boolean sendResource) {
    /** Copies the collections. */
    public Settings {
      requireNonNull(providerName, "providerName");
      requireNonNull(clientId, "clientId");
      servers = Set.copyOf(servers);
      targets = Map.copyOf(targets);
    }
  }

  /**
   * What a server's token is requested for: the parts of its {@link CacheKey} besides subject and
   * client.
   */
  public record Target(
      @Nullable String audience, @Nullable String resource, @Nullable String scope) {}

  /**
   * Computes a server's {@link Target} in place of the settings' defaults and targets (the
   * cross-app access provider, whose audience is the server's authorization server). Called once
   * per server and again after the server answered 401; it may block, and may throw {@link
   * HeaderProviderException}.
   */
  @FunctionalInterface
  public interface TargetFunction {
    /** Returns the target of {@code server}. */
    Target target(McpServerRef server);
  }

  private final Settings settings;
  private final TokenCache cache;
  private final @Nullable TargetFunction targetFunction;
  private final ServerSelection selection;
  private final Map<String, TokenTarget> targetsByLooseName;
  private final Cache<McpServerRef, Target> targets =
      Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();
  private final ConcurrentHashMap<McpServerRef, CompletableFuture<Target>> locating =
      new ConcurrentHashMap<>();

  /** Creates a resolver over {@code cache}. */
  public TokenHeaderResolver(Settings settings, TokenCache cache) {
    this(settings, cache, null);
  }

  /**
   * Creates a resolver over {@code cache} whose servers' targets come from {@code targetFunction}
   * (when not null) instead of the settings' defaults and targets.
   */
  public TokenHeaderResolver(
      Settings settings, TokenCache cache, @Nullable TargetFunction targetFunction) {
    this.settings = requireNonNull(settings, "settings");
    this.cache = requireNonNull(cache, "cache");
    this.targetFunction = targetFunction;
    this.selection = new ServerSelection(settings.servers());
    Map<String, TokenTarget> loose = new LinkedHashMap<>();
    settings.targets().forEach((name, target) -> loose.putIfAbsent(looseName(name), target));
    this.targetsByLooseName = Map.copyOf(loose);
  }

  /**
   * Returns a server name with letters in upper case and every other character but digits as {@code
   * _}: how server names appear in environment variable names.
   */
  public static String looseName(String serverName) {
    StringBuilder out = new StringBuilder(serverName.length());
    for (int i = 0; i < serverName.length(); i++) {
      char c = serverName.charAt(i);
      out.append(
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              ? Character.toUpperCase(c)
              : '_');
    }
    return out.toString();
  }

  /** Returns whether the provider applies to {@code server}. */
  @Override
  public boolean appliesTo(McpServerRef server) {
    return selection.contains(server);
  }

  /**
   * Returns the {@code Authorization} header for the request described by {@code context}, or no
   * header when a token exchange runs without a subject token and does not require one.
   *
   * @throws HeaderProviderException if the run has no required subject token
   * @throws OAuthTokenException if no token could be obtained
   */
  @Override
  public McpHeaders headers(HeaderContext context) {
    requireNonNull(context, "context");
    McpServerRef server = context.server();
    Optional<CacheKey> key = key(context);
    if (key.isEmpty()) {
      return McpHeaders.empty();
    }
    try {
      return cache.get(key.get(), server.name()).headers();
    } catch (TokenFetchException e) {
      throw new OAuthTokenException(
          settings.providerName(),
          server.name(),
          requireNonNull(e.getMessage()),
          e.errorCode(),
          e.httpStatus(),
          e.getCause());
    }
  }

  /**
   * Drops the cached token the refused request carried; returns whether a retry may succeed: true
   * when the provider contributed a token to it and {@link BearerChallenge#classify} finds the
   * refusal asks for a new one ({@code invalid_token}, a {@code Bearer} challenge without error). A
   * 403 for another reason, or {@code insufficient_scope} (the scope is configured, a new token
   * would carry the same), keeps the token and returns false.
   */
  @Override
  public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    requireNonNull(context, "context");
    if (!appliesTo(context.server())) {
      return false;
    }
    if (BearerChallenge.classify(wwwAuthenticate, true) != BearerChallenge.Refusal.REAUTHORIZE) {
      log.debug(
          "Server '{}' refused a request with a challenge provider '{}' does not answer (not"
              + " invalid_token); the token is kept",
          context.server().name(),
          settings.providerName());
      return false;
    }
    Optional<CacheKey> key;
    try {
      key = key(context);
    } catch (HeaderProviderException e) {
      return false;
    }
    if (key.isEmpty()) {
      return false;
    }
    cache.invalidate(key.get());
    if (targetFunction != null) {
      // Where the server's tokens come from may have changed: locate it again on the retry.
      targets.invalidate(context.server());
    }
    log.info(
        "Server '{}' refused the token of provider '{}' (HTTP 401); the cached token was dropped",
        context.server().name(),
        settings.providerName());
    return true;
  }

  /** Returns the cache, for tests. */
  public TokenCache cache() {
    return cache;
  }

  private Optional<CacheKey> key(HeaderContext context) {
    McpServerRef server = context.server();
    String subjectToken = null;
    SubjectPolicy subject = settings.subject();
    if (subject != null) {
      Optional<String> value = context.get(subject.key());
      if (value.isEmpty() || value.get().isBlank()) {
        if (subject.required()) {
          throw new HeaderProviderException(
              settings.providerName(),
              server.name(),
              "run has no "
                  + (subject.missing() != null
                      ? subject.missing()
                      : "subject token ("
                          + (subject.key() == ContextKey.SUBJECT_TOKEN
                              ? "ContextKey.SUBJECT_TOKEN"
                              : "context key '" + subject.key().name() + "'")
                          + ")"),
              null);
        }
        return Optional.empty();
      }
      subjectToken = value.get();
    }
    Target target = target(server);
    return Optional.of(
        new CacheKey(
            subjectToken,
            settings.clientId(),
            target.audience(),
            target.resource(),
            target.scope()));
  }

  private Target target(McpServerRef server) {
    Target known = targets.getIfPresent(server);
    if (known != null) {
      return known;
    }
    if (targetFunction != null) {
      return locate(server, targetFunction);
    }
    TokenTarget override = settings.targets().get(server.name());
    if (override == null) {
      override = targetsByLooseName.get(looseName(server.name()));
    }
    String canonical;
    try {
      canonical = CanonicalUri.of(server.uri());
    } catch (IllegalArgumentException e) {
      throw new HeaderProviderException(
          settings.providerName(),
          server.name(),
          "the server's URI is not absolute with a host, so it names no audience",
          null);
    }
    String audience = settings.sendAudience() ? canonical : null;
    String resource = settings.sendResource() ? canonical : null;
    String scope = settings.defaultScope();
    if (override != null) {
      audience = override.audience().orElse(audience);
      resource = override.resource().map(URI::toString).orElse(resource);
      scope = override.scope().orElse(scope);
    }
    Target target = new Target(audience, resource, scope);
    targets.put(server, target);
    return target;
  }

  /**
   * Computes the target of {@code server} once however many requests need it at once, outside the
   * cache (the target function may do network I/O); a failure is not kept.
   */
  private Target locate(McpServerRef server, TargetFunction function) {
    CompletableFuture<Target> mine = new CompletableFuture<>();
    CompletableFuture<Target> running = locating.putIfAbsent(server, mine);
    if (running == null) {
      try {
        Target known = targets.getIfPresent(server);
        Target target = known != null ? known : function.target(server);
        targets.put(server, target);
        mine.complete(target);
        return target;
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        locating.remove(server, mine);
      }
    }
    try {
      return running.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new HeaderProviderException(
          settings.providerName(),
          server.name(),
          "could not locate the server's authorization server",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeaderProviderException(
          settings.providerName(),
          server.name(),
          "interrupted while the server's authorization server was located",
          e);
    }
  }

  @Override
  public String toString() {
    return "TokenHeaderResolver{provider="
        + settings.providerName()
        + ", clientId="
        + settings.clientId()
        + ", servers="
        + (settings.servers().isEmpty() ? "all" : settings.servers())
        + "}";
  }
}
