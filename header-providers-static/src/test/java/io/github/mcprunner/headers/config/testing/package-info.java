/** Test support: an in-memory SLF4J binding. */
@NullMarked
package io.github.mcprunner.headers.config.testing;

import org.jspecify.annotations.NullMarked;
