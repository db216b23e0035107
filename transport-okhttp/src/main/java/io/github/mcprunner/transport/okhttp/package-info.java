/**
 * The MCP transport on OkHttp 5: {@link
 * io.github.mcprunner.transport.okhttp.OkHttpTransportFactory}, registered with {@link
 * java.util.ServiceLoader} under the name {@code "okhttp"}.
 */
@NullMarked
package io.github.mcprunner.transport.okhttp;

import org.jspecify.annotations.NullMarked;
