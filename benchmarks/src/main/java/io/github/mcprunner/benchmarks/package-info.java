/** JMH benchmarks of mcp-runner; not published. */
@NullMarked
package io.github.mcprunner.benchmarks;

import org.jspecify.annotations.NullMarked;
