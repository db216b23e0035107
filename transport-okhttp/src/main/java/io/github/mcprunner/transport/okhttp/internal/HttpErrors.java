package io.github.mcprunner.transport.okhttp.internal;

import io.github.mcprunner.core.spi.ResponseHeadersException;
import io.github.mcprunner.core.spi.SessionLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Turns what OkHttp raises and answers into the exceptions runner-core classifies: timeouts as
 * {@link TimeoutException} (read) or {@link ConnectException} (connect), refused requests as {@link
 * TransportHttpException}, a forgotten session as {@link McpTransportSessionNotFoundException}. No
 * message holds a header value or a body. Not public API.
 */
final class HttpErrors {
  private HttpErrors() {}

  /** Maps an exception of {@code Call.execute()} or of reading a response. */
  static Throwable map(Throwable error, Duration connectTimeout, Duration readTimeout) {
    if (headersTooLarge(error)) {
      return ResponseHeadersException.tooLarge();
    }
    if (error instanceof SocketTimeoutException
        || error instanceof InterruptedIOException && "timeout".equals(error.getMessage())) {
      String message =
          error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("connect")) {
        ConnectException connect =
            new ConnectException("could not connect within " + connectTimeout);
        connect.initCause(error);
        return connect;
      }
      TimeoutException timeout = new TimeoutException("no answer within " + readTimeout);
      timeout.initCause(error);
      return timeout;
    }
    return error;
  }

  /**
   * Whether OkHttp gave up reading response headers past its limit (256 KiB): it raises {@code
   * IOException("unexpected end of stream …")} caused by Okio's {@code EOFException("\\n not found:
   * limit=… content=…")}, whose text holds the header bytes in hex, so neither may be kept.
   */
  private static boolean headersTooLarge(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof EOFException && message != null && message.startsWith("\\n not found")) {
        return true;
      }
    }
    return false;
  }

  /** Returns the exception for an error status answering {@code httpMethod}. */
  static RuntimeException status(Response response, String httpMethod, boolean hadSession) {
    return TransportHttpException.forStatus(
        response.code(), httpMethod, response.header("WWW-Authenticate"), hadSession);
  }

  static McpTransportSessionNotFoundException sessionNotFound(
      String reason, @Nullable Exception cause) {
    return new SessionLostException(reason, cause);
  }
}
