/**
 * Implementation of the OAuth header providers: token cache, token endpoint client, discovery and
 * configuration from properties. Not public API: it may change in any release.
 */
@NullMarked
package io.github.mcprunner.headers.oauth.internal;

import org.jspecify.annotations.NullMarked;
