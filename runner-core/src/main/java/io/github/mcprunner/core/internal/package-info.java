/**
 * The engine's internals shared between mcp-runner modules: the header chain ({@link
 * io.github.mcprunner.core.internal.HeaderChain}), the run scope it reads and provider discovery.
 *
 * <p><b>Not public API.</b> Classes here are public only so that sibling modules (transports,
 * benchmarks) can use them; they may change in any release without notice.
 */
@NullMarked
package io.github.mcprunner.core.internal;

import org.jspecify.annotations.NullMarked;
