/**
 * The OAuth token store on Redis: {@link io.github.mcprunner.tokenstore.redis.RedisTokenStore}
 * keeps the tokens, refresh tokens and client registrations of the {@code header-providers-oauth}
 * providers in one Redis shared by every instance of a service, encrypted with AES-GCM, and gives
 * the instances a lease so that one of them asks the token endpoint for all.
 */
@NullMarked
package io.github.mcprunner.tokenstore.redis;

import org.jspecify.annotations.NullMarked;
