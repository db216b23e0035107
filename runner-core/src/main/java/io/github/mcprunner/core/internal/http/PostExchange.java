package io.github.mcprunner.core.internal.http;

import io.github.mcprunner.core.internal.RunScope;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;
import reactor.util.context.ContextView;

/**
 * One POSTed message until its outcome: the HTTP answer, and for a request answered with SSE the
 * stream up to the response, resumed with {@code Last-Event-ID} when it ends before; bounded by a
 * deadline at the request timeout. Reads and changes the session state of its {@link
 * StreamableHttpClientTransport}. Not public API.
 */
final class PostExchange implements SseReader.Listener {
  private final StreamableHttpClientTransport transport;
  private final McpSchema.JSONRPCMessage message;
  private final @Nullable Object requestId;
  private final String what;
  private final @Nullable String session;
  private final McpTransportContext context;
  private final ContextView ctx;
  private final MonoSink<Void> sink;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile Runnable cancelDeadline = () -> {};
  private volatile Runnable unregisterCancel = () -> {};
  private volatile @Nullable McpHttpCall current;
  private volatile @Nullable String lastEventId;
  private volatile @Nullable Duration retry;
  private volatile @Nullable Throwable malformed;
  private volatile String malformedReason = "";
  private volatile boolean resumed;
  private int resumptionsWithoutMessage;

  PostExchange(
      StreamableHttpClientTransport transport,
      McpSchema.JSONRPCMessage message,
      @Nullable String session,
      McpTransportContext context,
      ContextView ctx,
      MonoSink<Void> sink) {
    this.transport = transport;
    this.message = message;
    this.requestId = JsonRpc.requestId(message);
    String method = JsonRpc.method(message);
    this.what = method == null ? "a JSON-RPC message" : method;
    this.session = session;
    this.context = context;
    this.ctx = ctx;
    this.sink = sink;
  }

  /**
   * Ends the exchange at once when its run is cancelled: the HTTP call is cancelled (its response
   * stream closed, which the stateless protocol reads as the cancellation itself) and the request
   * fails with the run's {@link io.github.mcprunner.RunCancelledException}; the session protocol's
   * {@code notifications/cancelled} is the runner's {@code CancellingTransport}'s. Costs one
   * registration per request of a run.
   */
  void endOnRunCancel() {
    RunScope run = RunScope.from(context);
    if (run == null || requestId == null) {
      return;
    }
    Runnable registration = run.onCancel(() -> fail(run.cancelledException()));
    Runnable previous = unregisterCancel;
    unregisterCancel = registration;
    previous.run();
    if (done.get()) {
      registration.run();
    }
  }

  void post(Map<String, String> protocolHeaders, String body) {
    if (transport.closed) {
      // Closed while this task waited for the executor: nothing is resolved or sent.
      fail(transport.closedError());
      return;
    }
    McpHttpCall call;
    try {
      call =
          transport.newCall(
              "POST",
              JsonRpc.method(message),
              JsonRpc.toolName(message),
              protocolHeaders,
              body,
              context,
              false);
    } catch (RuntimeException e) {
      // Header resolution failed (a failing provider, a cancelled run): nothing was sent.
      fail(e);
      return;
    }
    if (!track(call)) {
      return;
    }
    boolean accepted = false;
    try (McpHttpResponse response = call.execute()) {
      int code = response.status();
      if (code < 200 || code >= 300) {
        if (code == 404 && session != null) {
          transport.sessionId.compareAndSet(session, null);
        }
        fail(transport.statusError(response, "POST", session != null));
        return;
      }
      accepted = true;
      String newSession = response.header(HttpHeaders.MCP_SESSION_ID);
      if (session == null && newSession != null && !newSession.isBlank()) {
        transport.sessionId.compareAndSet(null, newSession);
      }
      String type = transport.mediaType(response);
      if (code == 202 || type.isEmpty() || "0".equals(response.header("Content-Length"))) {
        succeed();
      } else if (ProtocolHeaders.EVENT_STREAM.equals(type)) {
        streamEnded(read(response));
      } else if (ProtocolHeaders.JSON.equals(type)) {
        String data = transport.readText(response.body());
        if (message instanceof McpSchema.JSONRPCRequest && !data.isBlank()) {
          transport.deliver(
              McpSchema.deserializeJsonRpcMessage(transport.settings.jsonMapper(), data), ctx);
        }
        succeed();
      } else {
        fail(lost("it answered with the unexpected media type " + type, null));
      }
    } catch (ResponseTooLargeException e) {
      fail(lost("its " + e.getMessage(), e));
    } catch (Throwable e) {
      fail(accepted ? lost("its answer could not be read", e) : transport.http.mapFailure(e));
    } finally {
      transport.calls.remove(call);
      if (done.get()) {
        cancelDeadline.run();
      }
    }
    if (accepted && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(what)) {
      transport.startEventStream(context, ctx);
    }
  }

  /** Reads an event stream; returns the I/O failure that ended it, null if it ended cleanly. */
  private @Nullable Throwable read(McpHttpResponse response) {
    try (InputStream body = response.body()) {
      SseReader.read(body, this);
      return null;
    } catch (ResponseTooLargeException e) {
      malformedReason = "its answer stream was cut off: " + e.getMessage();
      malformed = e;
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  @Override
  public boolean onEvent(@Nullable String id, String type, String data) {
    if (id != null) {
      lastEventId = id;
    }
    if (data.isBlank() || !"message".equals(type)) {
      return true;
    }
    McpSchema.JSONRPCMessage received;
    try {
      received = McpSchema.deserializeJsonRpcMessage(transport.settings.jsonMapper(), data);
    } catch (IOException | RuntimeException e) {
      malformedReason = "an event of its answer stream is not a JSON-RPC message";
      malformed =
          new McpTransportException(
              "Could not read a JSON-RPC message of the event stream answering " + what, e);
      return false;
    }
    resumptionsWithoutMessage = 0;
    boolean isAnswer =
        received instanceof McpSchema.JSONRPCResponse
            && requestId != null
            && requestId.equals(((McpSchema.JSONRPCResponse) received).id());
    transport.deliver(received, ctx);
    if (isAnswer) {
      if (resumed) {
        // A resumed GET stream may stay open: let go of it now.
        succeed();
        return false;
      }
      // A POST's stream is read to its end (the server closes it after the response), so the
      // connection can be reused; the deadline stays armed to end the read should the server
      // hold the stream open.
      answered();
      return true;
    }
    return true;
  }

  @Override
  public void onRetry(Duration retry) {
    this.retry = retry;
  }

  /** The answer stream ended: done, failed, or to be resumed after the server's retry time. */
  private void streamEnded(@Nullable Throwable broken) {
    Throwable unreadable = malformed;
    if (unreadable != null) {
      fail(lost(malformedReason, unreadable));
      return;
    }
    if (done.get()) {
      return;
    }
    if (requestId == null) {
      if (broken == null) {
        succeed();
      } else {
        fail(transport.http.mapFailure(broken));
      }
      return;
    }
    if (transport.closed) {
      fail(transport.closedError());
      return;
    }
    if (lastEventId == null) {
      fail(
          lost(
              "its answer stream "
                  + (broken != null ? "broke" : "ended")
                  + " before the response, with no event id to resume from",
              broken));
      return;
    }
    if (++resumptionsWithoutMessage > StreamableHttpClientTransport.MAX_RESUMPTIONS) {
      fail(
          lost(
              "its answer stream ended again after "
                  + StreamableHttpClientTransport.MAX_RESUMPTIONS
                  + " resumptions with Last-Event-ID",
              broken));
      return;
    }
    Duration wait = retry != null ? retry : StreamableHttpClientTransport.DEFAULT_RETRY;
    StreamableHttpClientTransport.log.debug(
        "Event stream answering {} of MCP server '{}' ended before the response; resuming in {}",
        what,
        transport.serverName,
        wait);
    transport.schedule(wait, this::resume, () -> fail(transport.closedError()));
  }

  /**
   * Ends the exchange, and cancels its HTTP call, when it is not done within the request timeout of
   * its creation: a POST whose answer stream stalls after its headers (an HTTP client's timeout may
   * bound only the wait for the headers) or a resumed stream held open without the response would
   * otherwise hold a thread and a connection for ever, since the MCP client's own timeout does not
   * reach the transport. The timer is cancelled when the exchange ends; once the response arrived
   * on a POST's answer stream, when that stream ends (else the deadline closes it).
   */
  void armDeadline() {
    Duration timeout = transport.settings.requestTimeout();
    Runnable cancel =
        transport.delays.schedule(
            timeout,
            () -> {
              fail(new TimeoutException("no response to " + what + " within " + timeout));
              // Answered, and its stream still open at the deadline: let go of it.
              cancelCurrent();
            });
    cancelDeadline = cancel;
    if (done.get()) {
      cancel.run();
    }
  }

  private void resume() {
    if (done.get()) {
      return;
    }
    if (transport.closed) {
      fail(transport.closedError());
      return;
    }
    resumed = true;
    String onSession = session != null ? session : transport.sessionId.get();
    Map<String, String> headers =
        ProtocolHeaders.eventStream(
            transport.protocolVersion, onSession, Objects.requireNonNull(lastEventId));
    McpHttpCall call;
    try {
      call = transport.newCall("GET", null, null, headers, null, context, true);
    } catch (RuntimeException e) {
      // A failing header provider: the resumption was not sent, the request was.
      fail(lost("the resumption of its answer stream could not be sent", e));
      return;
    }
    if (!track(call)) {
      return;
    }
    Throwable broken = null;
    try (McpHttpResponse response = call.execute()) {
      int code = response.status();
      if (code < 200 || code >= 300) {
        if (code == 404 && onSession != null) {
          transport.sessionId.compareAndSet(onSession, null);
        }
        // Never a TransportHttpException on its own: the runner would retry the request (after
        // a 401 with fresh headers, after a 404 on a new session), which the server already has.
        fail(
            lost(
                "the resumption of its answer stream was answered with HTTP " + code,
                transport.statusError(response, "GET", onSession != null)));
        return;
      }
      String type = transport.mediaType(response);
      if (!ProtocolHeaders.EVENT_STREAM.equals(type)) {
        fail(
            lost(
                "the resumption of its answer stream was answered with media type "
                    + (type.isEmpty() ? "none" : type)
                    + " instead of an event stream",
                null));
        return;
      }
      broken = read(response);
    } catch (IOException e) {
      broken = e;
    } catch (Throwable e) {
      fail(lost("the resumption of its answer stream could not be read", e));
      return;
    } finally {
      transport.calls.remove(call);
    }
    streamEnded(broken);
  }

  /**
   * Returns the failure of a request the server accepted and whose response did not arrive: a
   * {@link ResponseLostException}, which the runner never retries, as the server may have run the
   * request; a timeout stays a timeout (not retried either, and reported as such); a notification,
   * which has no response, fails with the cause or a plain transport exception.
   */
  private Throwable lost(String reason, @Nullable Throwable cause) {
    Throwable mapped = cause == null ? null : transport.http.mapFailure(cause);
    if (mapped instanceof TimeoutException
        || mapped instanceof java.net.http.HttpTimeoutException) {
      return mapped;
    }
    if (requestId == null) {
      return mapped != null
          ? mapped
          : new McpTransportException(
              "MCP server '" + transport.serverName + "' answered " + what + ": " + reason);
    }
    return new ResponseLostException(transport.serverName, what, reason, mapped);
  }

  private boolean track(McpHttpCall call) {
    current = call;
    transport.calls.add(call);
    if (transport.closed) {
      // Closed before the call was registered, so close() could not cancel it: not sent.
      fail(transport.closedError());
    }
    if (done.get()) {
      transport.calls.remove(call);
      call.cancel();
      return false;
    }
    return true;
  }

  /**
   * The response arrived on the POST's answer stream, which is still being read: the caller has its
   * outcome, the deadline stays armed for the rest of the stream.
   */
  private void answered() {
    if (done.compareAndSet(false, true)) {
      unregisterCancel.run();
      sink.success();
    }
  }

  void succeed() {
    if (done.compareAndSet(false, true)) {
      cancelDeadline.run();
      unregisterCancel.run();
      sink.success();
    }
  }

  /** Fails the exchange and cancels its HTTP call, which may still be sending or reading. */
  void fail(Throwable error) {
    if (done.compareAndSet(false, true)) {
      cancelDeadline.run();
      unregisterCancel.run();
      sink.error(error);
      cancelCurrent();
    }
  }

  void cancel() {
    if (done.compareAndSet(false, true)) {
      cancelDeadline.run();
      unregisterCancel.run();
      cancelCurrent();
    }
  }

  private void cancelCurrent() {
    McpHttpCall call = current;
    if (call != null) {
      call.cancel();
    }
  }
}
