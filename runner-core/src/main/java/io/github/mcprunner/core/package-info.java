/**
 * The entry point of the engine: {@link io.github.mcprunner.core.Runners#builder()} builds a {@link
 * io.github.mcprunner.Runner}.
 */
@NullMarked
package io.github.mcprunner.core;

import org.jspecify.annotations.NullMarked;
