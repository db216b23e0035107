package io.github.mcprunner.spring.internal;

import io.github.mcprunner.RunOptions;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.spring.CurrentRunOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.util.ClassUtils;

/**
 * The run options of the signed-in user of the current thread's {@code SecurityContext}: the
 * authentication's name as identity and user id, and its OAuth2 token (a resource server's bearer
 * JWT or opaque token) as the subject token for token exchange, never as a header. Without an
 * authenticated user: {@link RunOptions#defaults()}. Not public API.
 */
public final class SecurityContextRunOptions implements CurrentRunOptions {
  private static final boolean OAUTH2_CORE =
      ClassUtils.isPresent(
          "org.springframework.security.oauth2.core.AbstractOAuth2Token",
          SecurityContextRunOptions.class.getClassLoader());

  @Override
  public RunOptions get() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return RunOptions.defaults();
    }
    String name = authentication.getName();
    if (name == null || name.isEmpty()) {
      return RunOptions.defaults();
    }
    RunOptions.Builder options =
        RunOptions.builder().identity(name).context(ContextKey.USER_ID, name);
    String token = OAUTH2_CORE ? Tokens.of(authentication) : null;
    if (token != null) {
      options.context(ContextKey.SUBJECT_TOKEN, token);
    }
    return options.build();
  }

  /** Reads OAuth2 tokens; loaded only when spring-security-oauth2-core is present. */
  private static final class Tokens {
    static @Nullable String of(Authentication authentication) {
      Object credentials = authentication.getCredentials();
      if (credentials instanceof AbstractOAuth2Token token) {
        return token.getTokenValue();
      }
      Object principal = authentication.getPrincipal();
      if (principal instanceof AbstractOAuth2Token token) {
        return token.getTokenValue();
      }
      return null;
    }
  }
}
