package io.github.mcprunner.transport.httpclient.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.core.spi.TransportHttpException;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Wraps an SDK transport so that refused requests surface as the runner's {@link
 * TransportHttpException}: the SDK's authorization exception carries a request snapshot whose text
 * prints every request header, credentials included, so it must not travel further; the legacy SSE
 * transport reports statuses only in the text of an {@link McpTransportException} (which also holds
 * the response body), so the status is read from there and the text dropped. A 404 answering a
 * legacy SSE message means the server forgot the session. Response headers past the client's limit
 * are mapped as {@link JdkMcpHttpClient#headersFailure(Throwable)} says.
 *
 * <p>The SDK's legacy SSE transport does not fail messages waiting for the stream's endpoint when
 * the stream fails (a refused stream, a failing header provider): they would wait for the
 * initialization timeout. This wrapper fails them with the stream's error at once. Not public API.
 */
public final class StatusMappingTransport implements McpClientTransport {
  private static final Pattern POST_STATUS =
      Pattern.compile("^Sending message failed with a non-OK HTTP code: (\\d{3})");
  private static final Pattern STREAM_STATUS =
      Pattern.compile("^Failed to connect to SSE stream: (\\d{3})");

  private final McpClientTransport delegate;
  private final AtomicReference<Sinks.One<Void>> connectFailure =
      new AtomicReference<>(Sinks.one());

  public StatusMappingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    Sinks.One<Void> failure = Sinks.one();
    connectFailure.set(failure);
    return delegate
        .connect(handler)
        .onErrorMap(StatusMappingTransport::map)
        .doOnError(failure::tryEmitError);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return delegate
        .sendMessage(message)
        .onErrorMap(StatusMappingTransport::map)
        .or(requireNonNull(connectFailure.get()).asMono()); // always holds a sink
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  private static Throwable map(Throwable error) {
    Throwable headers = JdkMcpHttpClient.headersFailure(error);
    if (headers != null) {
      return headers;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof McpHttpClientTransportAuthorizationException) {
        McpHttpClientTransportAuthorizationException auth =
            (McpHttpClientTransportAuthorizationException) t;
        var info = auth.getResponseInfo();
        int status = info == null ? 401 : info.statusCode();
        String www =
            info == null ? null : info.headers().firstValue("WWW-Authenticate").orElse(null);
        String method =
            auth.getRequestSnapshot() == null ? "request" : auth.getRequestSnapshot().method();
        return TransportHttpException.forStatus(status, method, www, false);
      }
      if (t instanceof McpTransportException && t.getMessage() != null) {
        Matcher post = POST_STATUS.matcher(t.getMessage());
        if (post.find()) {
          // A legacy SSE message always belongs to the stream's session.
          return TransportHttpException.forStatus(
              Integer.parseInt(post.group(1)), "POST", null, true);
        }
        Matcher stream = STREAM_STATUS.matcher(t.getMessage());
        if (stream.find()) {
          return TransportHttpException.forStatus(
              Integer.parseInt(stream.group(1)), "GET", null, false);
        }
      }
    }
    return error;
  }
}
