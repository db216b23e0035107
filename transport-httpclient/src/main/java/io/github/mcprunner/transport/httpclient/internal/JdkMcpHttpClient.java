package io.github.mcprunner.transport.httpclient.internal;

import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamable HTTP transport's HTTP client on {@link HttpClient}: each call sets the request's
 * resolved headers (final: the shared client resolved them, free of protected names) after the
 * transport's protocol headers, and sends with
 * {@code sendAsync}, waiting for the status and headers; the body is read as a stream. POST and
 * DELETE get the request timeout ({@link HttpRequest.Builder#timeout}, which bounds the wait for
 * the response headers; the Streamable HTTP client's deadline cancels a call whose body stalls);
 * event streams none. Cancelling cancels the exchange, or closes the body stream, which wakes a
 * blocked read and closes the connection. Not public API.
 */
public final class JdkMcpHttpClient implements McpHttpClient {
  private static final Logger log = LoggerFactory.getLogger(JdkMcpHttpClient.class);

  private final TransportSettings settings;
  private final HttpClient client;
  private final URI uri;

  public JdkMcpHttpClient(TransportSettings settings, HttpClient client) {
    this.settings = settings;
    this.client = client;
    this.uri = settings.server().uri();
  }

  @Override
  public McpHttpCall newCall(McpHttpRequest request) {
    return new JdkCall(request);
  }

  private final class JdkCall implements McpHttpCall {
    private final McpHttpRequest request;
    private volatile boolean cancelled;
    private volatile @Nullable CompletableFuture<HttpResponse<InputStream>> exchange;
    private volatile @Nullable InputStream body;

    JdkCall(McpHttpRequest request) {
      this.request = request;
    }

    @Override
    public McpHttpResponse execute() throws IOException {
      McpHeaders resolved = request.headers();
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
      String json = request.jsonBody();
      builder.method(
          request.method(),
          json == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (json != null) {
        builder.header("Content-Type", "application/json");
      }
      request.protocolHeaders().forEach(builder::header);
      resolved.forEach(builder::setHeader);
      if (!request.eventStream()) {
        builder.timeout(settings.requestTimeout());
      }
      if (log.isTraceEnabled()) {
        // McpHeaders.toString() redacts sensitive values.
        log.trace(
            "{} {} ({}) with headers {}",
            request.method(),
            uri,
            request.request().mcpMethod(),
            resolved);
      }
      if (cancelled) {
        throw new IOException("cancelled");
      }
      CompletableFuture<HttpResponse<InputStream>> future =
          client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      exchange = future;
      if (cancelled) {
        future.cancel(true);
      }
      HttpResponse<InputStream> response;
      try {
        response = future.get();
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the response");
      } catch (CancellationException e) {
        throw new IOException("cancelled", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
          throw (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        throw new IOException(cause);
      }
      InputStream stream = response.body();
      body = stream;
      if (cancelled) {
        close(stream);
      }
      return new McpHttpResponse() {
        @Override
        public int status() {
          return response.statusCode();
        }

        @Override
        public @Nullable String header(String name) {
          return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public InputStream body() {
          return stream;
        }

        @Override
        public void close() {
          JdkCall.close(stream);
        }
      };
    }

    @Override
    public void cancel() {
      cancelled = true;
      CompletableFuture<HttpResponse<InputStream>> future = exchange;
      if (future != null) {
        future.cancel(true);
      }
      InputStream stream = body;
      if (stream != null) {
        close(stream);
      }
    }

    private static void close(InputStream stream) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Closing abandons the body; nothing to report.
      }
    }
  }
}
