package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.headers.McpHeaders;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the runner's resolved headers, carried by the request's {@link RequestTag}, to every
 * request the transport sends: an application interceptor, added after the user's own, so that the
 * user's interceptors never see them, and it runs once per call and last before OkHttp's internals
 * (redirects are off, so there is no further hop). Requests without a tag are not the transport's
 * and pass through untouched.
 *
 * <p>The headers were resolved, once, before the request was built (nothing is built when that
 * fails): final, they never hold a protected name, so the transport's own {@code Accept}, {@code
 * Content-Type}, {@code Mcp-Session-Id} and {@code MCP-Protocol-Version} are never replaced. {@code
 * header(...)} replaces a same-named header the user's interceptors may have set, so every name is
 * sent once. Not public API.
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
    McpHeaders resolved = tag.headers();
    if (resolved.isEmpty()) {
      return chain.proceed(request);
    }
    Request.Builder builder = request.newBuilder();
    resolved.forEach(builder::header);
    if (log.isTraceEnabled()) {
      // McpHeaders.toString() redacts sensitive values.
      log.trace(
          "{} {} ({}) with headers {}",
          request.method(),
          request.url().redact(),
          tag.mcpMethod(),
          resolved);
    }
    return chain.proceed(builder.build());
  }
}
