/**
 * The engine behind {@code Runners}: header chain, session pool, agent loop, transport selection.
 * Not public API: these types may change in any release. Other mcp-runner modules (transports,
 * benchmarks, testkit) use some of them.
 */
@NullMarked
package io.github.mcprunner.core.internal;

import org.jspecify.annotations.NullMarked;
