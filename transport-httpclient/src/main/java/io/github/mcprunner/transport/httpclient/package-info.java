/**
 * The MCP transport on {@code java.net.http.HttpClient}: {@link
 * io.github.mcprunner.transport.httpclient.HttpClientTransportFactory}, registered with {@link
 * java.util.ServiceLoader} under the name {@code "httpclient"}.
 */
@NullMarked
package io.github.mcprunner.transport.httpclient;

import org.jspecify.annotations.NullMarked;
