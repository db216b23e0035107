/** Implementation of the HttpClient transport. Not public API. */
@NullMarked
package io.github.mcprunner.transport.httpclient.internal;

import org.jspecify.annotations.NullMarked;
