/**
 * The observation SPI: what a run did, told to a {@link io.github.mcprunner.observe.RunObserver} as
 * it happens (run started and ended, model turns, MCP sessions and MCP requests), for tracing and
 * metrics. Observations carry names, ids, methods, statuses and error codes only: never a header
 * value, a context value, tool arguments or tool output. Implementations are found with {@link
 * java.util.ServiceLoader} or set on the runner builder; without one, the runner observes nothing
 * and allocates nothing for it.
 */
@NullMarked
package io.github.mcprunner.observe;

import org.jspecify.annotations.NullMarked;
