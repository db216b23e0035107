/** Implementation of the starter. Not public API. */
@NullMarked
package io.github.mcprunner.spring.internal;

import org.jspecify.annotations.NullMarked;
