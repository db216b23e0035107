package io.github.mcprunner.examples;

import io.github.mcprunner.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * Looks at an external MCP server once before the demo runs against it: whether it can be reached
 * at all, and which transport it speaks at that URL. A URL whose path ends in {@code /sse} is a
 * legacy HTTP+SSE event stream; any other URL is Streamable HTTP, unless a POST there is refused
 * with 405 and a GET answers with an event stream, as a legacy HTTP+SSE endpoint does.
 */
final class UpstreamCheck {

  /**
   * What the check found.
   *
   * @param kind the transport the server speaks at the URL
   * @param note one line for the demo's header, e.g. how the kind was found
   */
  record Outcome(TransportKind kind, String note) {}

  /** The server cannot be used at this URL; the message says why and what to do. */
  static final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;

    UpstreamException(String message) {
      super(message);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // A JSON-RPC ping: answered (or refused for want of a session) without opening a session.
  private static final String PING =
      "{\"jsonrpc\":\"2.0\",\"id\":\"demo-check\",\"method\":\"ping\"}";

  private UpstreamCheck() {}

  /**
   * Checks {@code url}.
   *
   * @throws UpstreamException if the server cannot be reached or does not speak MCP at that URL
   */
  static Outcome check(URI url) throws UpstreamException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();
    String path = url.getPath() == null ? "" : url.getPath();
    if (path.endsWith("/sse")) {
      int status = eventStream(client, url);
      if (status == 200) {
        return new Outcome(TransportKind.SSE, "legacy HTTP+SSE (the URL ends in /sse)");
      }
      throw new UpstreamException(
          "the MCP server at "
              + url
              + " answered HTTP "
              + status
              + " to the GET that opens a legacy HTTP+SSE event stream; check the URL (a legacy"
              + " server's event stream usually ends in /sse, a Streamable HTTP server's endpoint"
              + " in /mcp)");
    }
    int status = post(client, url);
    if (status == 405) {
      if (eventStream(client, url) == 200) {
        return new Outcome(
            TransportKind.SSE,
            "legacy HTTP+SSE (detected: POST answered 405, GET opened an event stream)");
      }
      throw new UpstreamException(
          "the MCP server at "
              + url
              + " answered HTTP 405 (method not allowed) to a POST, so it takes no Streamable HTTP"
              + " there, and a GET opened no event stream either; pass the URL of its MCP"
              + " endpoint: a Streamable HTTP endpoint (usually ending in /mcp) or a legacy"
              + " HTTP+SSE event stream (usually ending in /sse)");
    }
    if (status == 404) {
      throw new UpstreamException(
          "the MCP server at "
              + url
              + " answered HTTP 404 (not found) to a POST: there is no MCP endpoint at this path;"
              + " check the URL (Streamable HTTP endpoints usually end in /mcp, legacy HTTP+SSE"
              + " ones in /sse)");
    }
    return new Outcome(TransportKind.STREAMABLE_HTTP, "Streamable HTTP");
  }

  private static int post(HttpClient client, URI url) throws UpstreamException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(PING))
            .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      throw unreachable(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException("interrupted while checking the MCP server at " + url);
    }
  }

  /** Opens a GET event stream, returns its status (0 when it is no event stream), closes it. */
  private static int eventStream(HttpClient client, URI url) throws UpstreamException {
    HttpRequest request =
        HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "text/event-stream").build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        String type =
            response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        boolean events = type.startsWith("text/event-stream");
        return response.statusCode() == 200 && !events ? 0 : response.statusCode();
      }
    } catch (IOException e) {
      throw unreachable(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException("interrupted while checking the MCP server at " + url);
    }
  }

  static UpstreamException unreachable(URI url, IOException e) {
    String cause = cause(e);
    if (e instanceof ConnectException && !cause.contains(":")) {
      cause = connectFailure(url);
    }
    return new UpstreamException(
        "the MCP server at "
            + url
            + " could not be reached ("
            + cause
            + "); check that the server runs and the URL is right");
  }

  /**
   * Returns why a plain TCP connection to the URL's host and port fails, e.g. {@code
   * ConnectException: Connection refused}: the JDK HTTP client reports a failed connection with no
   * message at all.
   */
  private static String connectFailure(URI url) {
    int port =
        url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port), (int) TIMEOUT.toMillis());
      return "ConnectException";
    } catch (IOException e) {
      return cause(e);
    }
  }

  /**
   * Returns the first message along the cause chain, with its exception's simple name, e.g. {@code
   * ConnectException: Connection refused}; the JDK client often leaves the top one empty.
   */
  static String cause(Throwable e) {
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + TIMEOUT.toSeconds() + " s";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e.getClass().getSimpleName();
  }
}
