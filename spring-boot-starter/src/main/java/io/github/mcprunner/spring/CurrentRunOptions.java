package io.github.mcprunner.spring;

import io.github.mcprunner.RunOptions;

/**
 * The {@link RunOptions} of the request being served on the calling thread: the run's identity,
 * context values for header providers (the user's token to exchange, user and tenant ids) and
 * per-run headers. The starter's Spring AI tool callbacks ask it when a call's {@code ToolContext}
 * carries no options of its own; an application asks it before {@code runner.run(...)}.
 *
 * <p>With Spring Security on the class path the starter's bean reads the current {@code
 * Authentication}: its name is the identity and {@code ContextKey.USER_ID}, and a bearer or OAuth2
 * token of the signed-in user is {@code ContextKey.SUBJECT_TOKEN} (for token exchange; never a
 * header). Without it, the bean returns {@link RunOptions#defaults()}. Define a bean of this type
 * to replace it (e.g. to add the tenant id).
 */
@FunctionalInterface
public interface CurrentRunOptions {

  /** Returns the options of the current request; called on the request's thread. */
  RunOptions get();
}
