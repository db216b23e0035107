package io.github.mcprunner.headers.oauth.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The MCP authorization specification's scope selection strategy (2025-11-25): the {@code scope} of
 * the server's challenge when it has one, else every scope of the protected resource metadata's
 * {@code scopes_supported}, else no scope at all; and the union of scopes for step-up
 * authorization. Scopes are space separated; order is kept, duplicates dropped. Not public API.
 */
public final class ScopeSelection {
  private ScopeSelection() {}

  /**
   * Returns the scope to request.
   *
   * @param challengeScope the {@code scope} of the {@code WWW-Authenticate} challenge, or null
   * @param scopesSupported the protected resource metadata's {@code scopes_supported}, or null
   * @return the scope, or null to leave the parameter out
   */
  public static @Nullable String select(
      @Nullable String challengeScope, @Nullable List<String> scopesSupported) {
    String fromChallenge = normalize(challengeScope);
    if (fromChallenge != null) {
      return fromChallenge;
    }
    if (scopesSupported == null || scopesSupported.isEmpty()) {
      return null;
    }
    return normalize(String.join(" ", scopesSupported));
  }

  /** Returns the scopes of {@code first} followed by those of {@code second} not in it. */
  public static @Nullable String union(@Nullable String first, @Nullable String second) {
    Set<String> all = new LinkedHashSet<>(split(first));
    all.addAll(split(second));
    return all.isEmpty() ? null : String.join(" ", all);
  }

  /** Returns whether {@code scope} holds every scope of {@code required}. */
  public static boolean covers(@Nullable String scope, @Nullable String required) {
    return split(scope).containsAll(split(required));
  }

  /** Returns {@code scope} with single spaces and no duplicates, or null when it has none. */
  public static @Nullable String normalize(@Nullable String scope) {
    Set<String> scopes = split(scope);
    return scopes.isEmpty() ? null : String.join(" ", scopes);
  }

  private static Set<String> split(@Nullable String scope) {
    Set<String> out = new LinkedHashSet<>();
    if (scope != null) {
      for (String part : scope.trim().split("[ \\t]+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    return out;
  }
}
