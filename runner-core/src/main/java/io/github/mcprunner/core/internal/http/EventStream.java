package io.github.mcprunner.core.internal.http;

import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The session's GET stream: re-opened with {@code Last-Event-ID} (the id of the last event it
 * carried) when the server ends it or it breaks, after the server's {@code retry} time if it gave
 * one (else 200 ms, doubling), up to {@value
 * StreamableHttpClientTransport#MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS} times in a row without an
 * event; never after close, a refusal, 405 (no stream offered) or 404 (session gone: the next POST
 * reports it). One of the transport's three state machines, with {@link PostExchange} and the
 * DELETE of {@link StreamableHttpClientTransport#closeGracefully()}. Not public API.
 */
final class EventStream implements SseReader.Listener {
  private final StreamableHttpClientTransport transport;
  private final @Nullable String session;
  private final McpTransportContext context;
  private final ContextView ctx;
  private volatile @Nullable String lastEventId;
  private volatile @Nullable Duration retry;
  private volatile int eventsThisAttempt;
  private int attemptsWithoutEvents;

  EventStream(
      StreamableHttpClientTransport transport,
      @Nullable String session,
      McpTransportContext context,
      ContextView ctx) {
    this.transport = transport;
    this.session = session;
    this.context = context;
    this.ctx = ctx;
  }

  void open() {
    try {
      transport.executor.execute(this::attempt);
    } catch (RejectedExecutionException e) {
      StreamableHttpClientTransport.log.debug(
          "Event stream of MCP server '{}' not opened: executor shut down", transport.serverName);
    }
  }

  private boolean current() {
    return !transport.closed && Objects.equals(session, transport.sessionId.get());
  }

  private void attempt() {
    if (!current()) {
      return;
    }
    Map<String, String> headers =
        ProtocolHeaders.eventStream(transport.protocolVersion, session, lastEventId);
    McpHttpCall call;
    try {
      call = transport.newCall("GET", null, null, headers, null, context, true);
    } catch (RuntimeException e) {
      // A failing header provider: nothing was sent; do not insist.
      StreamableHttpClientTransport.log.debug(
          "Event stream of MCP server '{}' not opened ({})",
          transport.serverName,
          e.getClass().getSimpleName());
      return;
    }
    transport.calls.add(call);
    if (transport.closed) {
      transport.calls.remove(call);
      return;
    }
    eventsThisAttempt = 0;
    boolean again;
    try (McpHttpResponse response = call.execute()) {
      again = read(response);
    } catch (ResponseTooLargeException e) {
      // Re-opened, the stream would replay the same event.
      StreamableHttpClientTransport.log.debug(
          "Event stream of MCP server '{}' given up: {}", transport.serverName, e.getMessage());
      again = false;
    } catch (IOException e) {
      again = true;
    } catch (RuntimeException e) {
      StreamableHttpClientTransport.log.debug(
          "Event stream of MCP server '{}' given up ({})",
          transport.serverName,
          e.getClass().getSimpleName());
      again = false;
    } finally {
      transport.calls.remove(call);
    }
    if (!again || !current()) {
      return;
    }
    attemptsWithoutEvents = eventsThisAttempt > 0 ? 1 : attemptsWithoutEvents + 1;
    if (attemptsWithoutEvents > StreamableHttpClientTransport.MAX_STREAM_ATTEMPTS_WITHOUT_EVENTS) {
      StreamableHttpClientTransport.log.debug(
          "Event stream of MCP server '{}' given up", transport.serverName);
      return;
    }
    Duration serverRetry = retry;
    Duration wait =
        serverRetry != null
            ? serverRetry
            : StreamableHttpClientTransport.FIRST_STREAM_RETRY_DELAY.multipliedBy(
                1L << (attemptsWithoutEvents - 1));
    transport.schedule(wait, this::attempt, () -> {});
  }

  /** Returns whether to re-open the stream. */
  private boolean read(McpHttpResponse response) throws IOException {
    int code = response.status();
    if (code < 200 || code >= 300) {
      StreamableHttpClientTransport.log.debug(
          "MCP server '{}' answered the event stream request with HTTP {}",
          transport.serverName,
          code);
      return false;
    }
    if (!ProtocolHeaders.EVENT_STREAM.equals(transport.mediaType(response))) {
      return false;
    }
    try (InputStream body = response.body()) {
      SseReader.read(body, this);
    }
    return true;
  }

  @Override
  public boolean onEvent(@Nullable String id, String type, String data) {
    if (id != null) {
      lastEventId = id;
    }
    eventsThisAttempt++;
    if (data.isBlank() || !"message".equals(type)) {
      return true;
    }
    try {
      transport.deliver(
          McpSchema.deserializeJsonRpcMessage(transport.settings.jsonMapper(), data), ctx);
    } catch (IOException | RuntimeException e) {
      StreamableHttpClientTransport.log.debug(
          "Unreadable event on the event stream of MCP server '{}'", transport.serverName);
    }
    return true;
  }

  @Override
  public void onRetry(Duration retry) {
    this.retry = retry;
  }
}
