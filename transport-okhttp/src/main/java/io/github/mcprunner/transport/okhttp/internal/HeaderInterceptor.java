package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.headers.McpHeaders;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the runner's resolved headers to every request the transport sends: an application
 * interceptor, added after the user's own, so it runs once per call and last before OkHttp's
 * internals (redirects are off, so there is no further hop). Requests without a {@link RequestTag}
 * are not the transport's and pass through untouched.
 *
 * <p>The resolved headers never hold a protected name (the chain refuses them); a protected name is
 * skipped anyway, so the transport's own {@code Accept}, {@code Content-Type}, {@code
 * Mcp-Session-Id} and {@code MCP-Protocol-Version} are never replaced. {@code header(...)} replaces
 * a same-named header the user's interceptors may have set, so every name is sent once. When the
 * header source throws (a failing provider), the exception leaves {@code Call.execute()} and
 * nothing is sent. Not public API.
 */
public final class HeaderInterceptor implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(HeaderInterceptor.class);

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestTag tag = request.tag(RequestTag.class);
    if (tag == null) {
      return chain.proceed(request);
    }
    McpHeaders resolved = tag.headers().headersFor(tag.request(), tag.context());
    if (resolved.isEmpty()) {
      return chain.proceed(request);
    }
    Request.Builder builder = request.newBuilder();
    resolved.forEach(
        (name, value) -> {
          if (!McpHeaders.isProtected(name)) {
            builder.header(name, value);
          }
        });
    if (log.isTraceEnabled()) {
      // McpHeaders.toString() redacts sensitive values.
      log.trace(
          "{} {} ({}) with headers {}",
          request.method(),
          request.url().redact(),
          tag.request().mcpMethod(),
          resolved);
    }
    return chain.proceed(builder.build());
  }
}
