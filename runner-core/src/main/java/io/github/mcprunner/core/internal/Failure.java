package io.github.mcprunner.core.internal;

import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.ResponseHeadersException;
import io.github.mcprunner.core.spi.ResponseLostException;
import io.github.mcprunner.core.spi.TransportHttpException;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * What went wrong with an MCP operation, read from the exception the SDK or a transport raised: the
 * runner retries some kinds (401 once, an expired session once) and turns the rest into an {@link
 * McpServerException} naming the server and its URL, without any header value. Not public API.
 */
final class Failure {

  enum Kind {
    /** Already one of ours: rethrow as it is. */
    OURS,
    UNAUTHORIZED,
    /** The server accepted the request and its response was lost: never retried. */
    RESPONSE_LOST,
    /** The response headers could not be read (too large, or the connection broke in them). */
    RESPONSE_HEADERS,
    SESSION_EXPIRED,
    HTTP_STATUS,
    JSON_RPC_ERROR,
    TIMEOUT,
    UNREACHABLE,
    IO,
    OTHER
  }

  final Kind kind;
  final Throwable error;
  final int status;
  final @Nullable String wwwAuthenticate;
  final @Nullable Throwable ours;

  private Failure(
      Kind kind, Throwable error, int status, @Nullable String www, @Nullable Throwable ours) {
    this.kind = kind;
    this.error = error;
    this.status = status;
    this.wwwAuthenticate = www;
    this.ours = ours;
  }

  static Failure sessionExpired(Throwable error) {
    return new Failure(Kind.SESSION_EXPIRED, error, 404, null, null);
  }

  static Failure classify(Throwable error) {
    Throwable t = error;
    Kind fallback = Kind.OTHER;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof McpRunnerException || t instanceof InvalidMcpHeaderException) {
        return new Failure(Kind.OURS, error, 0, null, t);
      }
      if (t instanceof ResponseLostException) {
        // Before its causes: a 401 or 404 that lost a response must not retry the request.
        return new Failure(Kind.RESPONSE_LOST, error, 0, null, t);
      }
      if (t instanceof ResponseHeadersException) {
        return new Failure(Kind.RESPONSE_HEADERS, error, 0, null, t);
      }
      if (t instanceof TransportHttpException) {
        TransportHttpException http = (TransportHttpException) t;
        if (http.isUnauthorized()) {
          return new Failure(
              Kind.UNAUTHORIZED, error, http.statusCode(), http.wwwAuthenticate(), null);
        }
        if (http.statusCode() == 404) {
          return new Failure(Kind.SESSION_EXPIRED, error, 404, null, null);
        }
        return new Failure(Kind.HTTP_STATUS, error, http.statusCode(), null, null);
      }
      if (t instanceof McpHttpClientTransportAuthorizationException) {
        var info = ((McpHttpClientTransportAuthorizationException) t).getResponseInfo();
        String www =
            info == null ? null : info.headers().firstValue("WWW-Authenticate").orElse(null);
        return new Failure(
            Kind.UNAUTHORIZED, error, info == null ? 401 : info.statusCode(), www, null);
      }
      if (t instanceof McpTransportSessionNotFoundException) {
        return new Failure(Kind.SESSION_EXPIRED, error, 404, null, null);
      }
      if (t instanceof McpError) {
        return new Failure(Kind.JSON_RPC_ERROR, error, 0, null, t);
      }
      if (t instanceof TimeoutException
          || t instanceof java.net.http.HttpTimeoutException
              && !(t instanceof HttpConnectTimeoutException)) {
        return new Failure(Kind.TIMEOUT, error, 0, null, null);
      }
      if (t instanceof ConnectException
          || t instanceof HttpConnectTimeoutException
          || t instanceof java.net.UnknownHostException
          || t instanceof java.net.NoRouteToHostException) {
        return new Failure(Kind.UNREACHABLE, error, 0, null, null);
      }
      if (t instanceof ClosedChannelException || t instanceof IOException) {
        fallback = Kind.IO;
      }
    }
    return new Failure(fallback, error, 0, null, null);
  }

  /**
   * Returns the exception to fail the run with, for an operation {@code what} on {@code server}.
   */
  RuntimeException toException(McpServerSpec server, String what, java.time.Duration timeout) {
    switch (kind) {
      case OURS:
        Throwable own = ours;
        return own instanceof RuntimeException
            ? (RuntimeException) own
            : new McpRunnerException("run failed", own);
      case TIMEOUT:
        return new McpServerException(
            server.name(),
            server.uri(),
            "did not answer " + what + " within " + timeout,
            safeCause());
      case UNREACHABLE:
        return new McpServerException(
            server.name(),
            server.uri(),
            "could not be reached for "
                + what
                + " ("
                + rootName()
                + "); check that the server runs and the URL is right",
            safeCause());
      case RESPONSE_LOST:
        ResponseLostException lost = (ResponseLostException) ours;
        return new McpServerException(
            server.name(),
            server.uri(),
            "accepted "
                + what
                + " but its response was lost ("
                + (lost == null ? rootName() : lost.reason())
                + "); the request may have run, so it was not retried",
            safeCause());
      case RESPONSE_HEADERS:
        ResponseHeadersException headers = (ResponseHeadersException) ours;
        return new McpServerException(
            server.name(),
            server.uri(),
            "failed during " + what + ": " + (headers == null ? rootName() : headers.reason()),
            safeCause());
      case HTTP_STATUS:
      case SESSION_EXPIRED:
        return new McpServerException(
            server.name(), server.uri(), "answered " + what + " with HTTP " + status, safeCause());
      case JSON_RPC_ERROR:
        McpError rpc = (McpError) ours;
        return new McpServerException(
            server.name(),
            server.uri(),
            "answered "
                + what
                + " with JSON-RPC error "
                + (rpc != null && rpc.getJsonRpcError() != null
                    ? rpc.getJsonRpcError().code()
                    : "?"),
            null);
      case IO:
        return new McpServerException(
            server.name(),
            server.uri(),
            "failed during "
                + what
                + " ("
                + rootName()
                + "): the connection broke or the server stopped",
            safeCause());
      default:
        return new McpServerException(
            server.name(),
            server.uri(),
            "failed during " + what + " (" + rootName() + ")",
            safeCause());
    }
  }

  /**
   * Returns the exception for a session lost again after its one re-open: names the server and the
   * lost session, never its id.
   */
  RuntimeException sessionLostAgain(McpServerSpec server, String what) {
    return new McpServerException(
        server.name(),
        server.uri(),
        "no longer knows the session, also after it was re-opened once (HTTP 404 in answer to "
            + what
            + "); "
            + what
            + " was not sent again",
        safeCause());
  }

  /** The deepest cause's class name: says what happened without any message text. */
  String rootName() {
    Throwable t = error;
    for (int depth = 0; t.getCause() != null && depth < 16; depth++) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  /**
   * The cause to attach, or null when the chain holds an SDK exception whose text may print request
   * headers (the SDK's authorization exception carries a request snapshot).
   */
  private @Nullable Throwable safeCause() {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof McpHttpClientTransportAuthorizationException) {
        return null;
      }
    }
    return error;
  }
}
