/**
 * The token store SPI: where OAuth providers keep the tokens they obtained, the refresh tokens
 * issued with them and their dynamic client registrations, and how several instances of a service
 * agree on which one asks the token endpoint.
 *
 * <p>Without a store a provider keeps everything in its own memory (a Caffeine cache): the default,
 * and the right one for a single instance. A {@link
 * io.github.mcprunner.headers.oauth.store.TokenStore} shared by every instance (the {@code
 * token-store-redis} module) lets tokens survive restarts and makes one token request per user and
 * server for the whole fleet. The provider's in-memory cache stays in front of the store, so a warm
 * token costs no store access.
 */
@NullMarked
package io.github.mcprunner.headers.oauth.store;

import org.jspecify.annotations.NullMarked;
