package io.github.mcprunner.transport.httpclient.internal;

import io.github.mcprunner.core.spi.ResponseHeadersException;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamable HTTP transport's HTTP client on {@link HttpClient}: each call sets the request's
 * resolved headers (final: the shared client resolved them, free of protected names) after the
 * transport's protocol headers, and sends with the blocking {@link HttpClient#send} on the calling
 * thread, never {@code sendAsync}, whose future completes through the common {@code ForkJoinPool}
 * (one thread on a 2-core machine, so every caller would queue for it). A small body of declared
 * length is read with the headers ({@link #BODY}); any other body is streamed. A DELETE gets the
 * request timeout ({@link HttpRequest.Builder#timeout}, which bounds the wait for the response
 * headers); a POST is bounded by the runner's deadline for its exchange, which cancels the call
 * (the JDK's timeout would register a timer with the client's selector thread and wake it for each
 * request); event streams by nothing. Cancelling interrupts the thread waiting in {@code send}
 * (which cancels the exchange and closes its connection) and closes the body stream, which wakes a
 * blocked read and closes the connection. Not public API.
 */
public final class JdkMcpHttpClient implements McpHttpClient {
  private static final Logger log = LoggerFactory.getLogger(JdkMcpHttpClient.class);

  /** The largest body read whole before {@code send()} returns, when its length is declared. */
  static final int SMALL_BODY_BYTES = 64 * 1024;

  /**
   * A body of declared length up to {@link #SMALL_BODY_BYTES} (a JSON answer, an error, an empty
   * 202), not an event stream, is read into one array with the headers; anything else is streamed
   * (the {@code ofInputStream} pipe hands the body over buffer by buffer between threads, which
   * costs more than the read itself for a small JSON answer).
   */
  static final HttpResponse.BodyHandler<InputStream> BODY =
      info -> {
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        boolean eventStream =
            info.headers()
                .firstValue("Content-Type")
                .map(type -> type.regionMatches(true, 0, "text/event-stream", 0, 17))
                .orElse(false);
        if (length >= 0 && length <= SMALL_BODY_BYTES && !eventStream) {
          return HttpResponse.BodySubscribers.mapping(
              HttpResponse.BodySubscribers.ofByteArray(), ByteArrayInputStream::new);
        }
        return HttpResponse.BodySubscribers.ofInputStream();
      };

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

  /** Maps response headers past the client's limit: see {@link #headersFailure(Throwable)}. */
  @Override
  public Throwable mapFailure(Throwable error) {
    ResponseHeadersException headers = headersFailure(error);
    return headers == null ? error : headers;
  }

  /**
   * Returns the {@link ResponseHeadersException} for response headers past the JDK client's limit
   * ({@code jdk.http.maxHeaderSize}, 384 KiB by default), or null for any other failure. The JDK
   * raises {@code ProtocolException("Header size too big …")}, or, when the server resets the
   * connection meanwhile, {@code IOException("parsing HTTP/1.1 header …")}, whose text quotes a
   * header name; neither is kept.
   */
  static @Nullable ResponseHeadersException headersFailure(Throwable error) {
    boolean parsingHeaders = false;
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      String message = t.getMessage();
      if (message == null) {
        continue;
      }
      if (t instanceof ProtocolException && message.startsWith("Header size too big")) {
        return ResponseHeadersException.tooLarge();
      }
      if (t instanceof IOException && message.startsWith("parsing HTTP/1.1 header")) {
        parsingHeaders = true;
      }
    }
    return parsingHeaders ? ResponseHeadersException.brokenWhileReading() : null;
  }

  private final class JdkCall implements McpHttpCall {
    private final McpHttpRequest request;
    private volatile boolean cancelled;
    // The thread blocked in send(), which cancel() interrupts; guarded by this.
    private @Nullable Thread sending;
    private boolean interruptedSending;
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
      if ("DELETE".equals(request.method())) {
        // A POST needs none: the runner ends every POST exchange at its deadline by cancelling the
        // call. The JDK client's own timeout registers a timer with its selector thread and wakes
        // that thread for every request, which costs a small answer's exchange measurably.
        builder.timeout(settings.requestTimeout());
      }
      if (log.isTraceEnabled()) {
        // McpHeaders.toString() redacts sensitive and secret values, printable() query values.
        log.trace(
            "{} {} ({}) with headers {}",
            request.method(),
            McpServerRef.printable(uri),
            request.request().mcpMethod(),
            resolved);
      }
      HttpRequest httpRequest = builder.build();
      synchronized (this) {
        if (cancelled) {
          throw new IOException("cancelled");
        }
        sending = Thread.currentThread();
      }
      HttpResponse<InputStream> response;
      try {
        // The blocking send() waits on this thread; sendAsync() would complete through the common
        // ForkJoinPool, one thread on a 2-core machine, which all callers would then queue for.
        response = client.send(httpRequest, BODY);
      } catch (InterruptedException e) {
        // send() has cancelled the exchange, which closes its connection.
        if (sent()) {
          throw new IOException("cancelled", e);
        }
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the response");
      } catch (IOException | RuntimeException e) {
        if (sent() || cancelled) {
          throw new IOException("cancelled", e);
        }
        throw e;
      }
      sent();
      InputStream stream = response.body();
      body = stream;
      if (cancelled) {
        close(stream);
        throw new IOException("cancelled");
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
      synchronized (this) {
        cancelled = true;
        Thread thread = sending;
        if (thread != null && !interruptedSending) {
          interruptedSending = true;
          thread.interrupt();
        }
      }
      InputStream stream = body;
      if (stream != null) {
        close(stream);
      }
    }

    /**
     * Ends the wait in send(); returns whether {@link #cancel()} interrupted it, and then clears
     * the interrupt it set, so that the thread goes back to its pool as it came.
     */
    private boolean sent() {
      synchronized (this) {
        sending = null;
        if (!interruptedSending) {
          return false;
        }
        interruptedSending = false;
        Thread.interrupted();
        return true;
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
