/**
 * The Streamable HTTP client transport behind {@code StreamableHttpTransports}: SSE reading,
 * resumption, session and stream bookkeeping. Not public API: these types may change in any
 * release.
 */
@NullMarked
package io.github.mcprunner.core.internal.http;

import org.jspecify.annotations.NullMarked;
