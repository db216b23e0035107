/**
 * Implementation of the configured header providers: properties parsing, reference resolution,
 * reloading. Not public API: may change in any release.
 */
@NullMarked
package io.github.mcprunner.headers.config.internal;

import org.jspecify.annotations.NullMarked;
