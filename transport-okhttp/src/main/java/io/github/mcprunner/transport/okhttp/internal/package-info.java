/** Implementation of the OkHttp transport. Not public API. */
@NullMarked
package io.github.mcprunner.transport.okhttp.internal;

import org.jspecify.annotations.NullMarked;
