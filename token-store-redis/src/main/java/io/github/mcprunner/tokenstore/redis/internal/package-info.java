/** Implementation of {@code token-store-redis}. Not public API. */
@NullMarked
package io.github.mcprunner.tokenstore.redis.internal;

import org.jspecify.annotations.NullMarked;
