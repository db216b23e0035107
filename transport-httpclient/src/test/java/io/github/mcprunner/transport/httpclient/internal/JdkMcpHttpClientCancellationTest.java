package io.github.mcprunner.transport.httpclient.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a call of the JDK client ends its exchange at once, wherever it waits: in {@code
 * send()} for the headers, in {@code send()} for a small body read whole, or in a read of a
 * streamed body; the connection is closed (the server reads its end), and the thread that called
 * {@code execute()} is left without an interrupt. Against a real socket on loopback that answers as
 * each test scripts it.
 */
class JdkMcpHttpClientCancellationTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  // Bounds on waits for something that should happen at once; never a measured time.
  private static final long WAIT_SECONDS = 10;

  private ServerSocket server;
  private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private JdkMcpHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              accepted.add(server.accept());
            } catch (IOException closed) {
              return;
            }
          }
        });
    URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/mcp");
    TransportSettings settings =
        new TransportSettings(
            new McpServerRef("stalling", uri),
            TransportKind.STREAMABLE_HTTP,
            Duration.ofSeconds(5),
            REQUEST_TIMEOUT,
            (request, context) -> McpHeaders.of("X-User-Id", "u1"),
            McpJsonDefaults.getMapper());
    client =
        new JdkMcpHttpClient(
            settings,
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
    threads.shutdownNow();
  }

  @Test
  void cancelWhileWaitingForTheHeadersEndsTheExchangeAndClosesTheConnection() throws Exception {
    McpHttpCall call = client.newCall(post());
    Future<Outcome> outcome = executeOnItsOwnThread(call);
    Socket socket = awaitRequest();

    call.cancel();

    Outcome ended = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ended.failure).isInstanceOf(IOException.class).hasMessageContaining("cancelled");
    assertThat(ended.interruptedAfterwards).isFalse();
    assertClosedByClient(socket);
  }

  @Test
  void cancelWhileASmallBodyIsReadWholeEndsTheExchangeAndClosesTheConnection() throws Exception {
    McpHttpCall call = client.newCall(post());
    Future<Outcome> outcome = executeOnItsOwnThread(call);
    Socket socket = awaitRequest();
    // A declared length small enough to be read with the headers; a tenth of it, then silence.
    write(
        socket,
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n"
            + "{\"jsonrpc\"");

    call.cancel();

    Outcome ended = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ended.failure).isInstanceOf(IOException.class).hasMessageContaining("cancelled");
    assertThat(ended.interruptedAfterwards).isFalse();
    assertClosedByClient(socket);
  }

  @Test
  void cancelWhileAStreamedBodyIsReadWakesTheReadAndClosesTheConnection() throws Exception {
    McpHttpCall call = client.newCall(post());
    Future<Outcome> outcome = executeOnItsOwnThread(call);
    Socket socket = awaitRequest();
    write(
        socket,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk("event: message\ndata: {}\n\n"));
    Outcome answered = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(answered.failure).isNull();
    assertThat(answered.interruptedAfterwards).isFalse();
    InputStream body = answered.response.body();
    String event = "event: message\ndata: {}\n\n";
    assertThat(new String(body.readNBytes(event.length()), StandardCharsets.UTF_8))
        .isEqualTo(event);
    CompletableFuture<Throwable> blockedRead =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return body.read() < 0 ? null : new AssertionError("read a byte never sent");
              } catch (IOException e) {
                return e;
              }
            },
            threads);

    call.cancel();

    Throwable readEnded = blockedRead.get(WAIT_SECONDS, TimeUnit.SECONDS);
    // A closed stream either throws or reads its end; it never blocks or yields more data.
    if (readEnded != null) {
      assertThat(readEnded).isInstanceOf(IOException.class);
    }
    assertClosedByClient(socket);
  }

  @Test
  void smallAnswerIsCompleteWhenExecuteReturnsAndCancelLaterInterruptsNoOne() throws Exception {
    McpHttpCall call = client.newCall(post());
    Future<Outcome> outcome = executeOnItsOwnThread(call);
    Socket socket = awaitRequest();
    String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
    write(
        socket,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    Outcome answered = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(answered.failure).isNull();

    call.cancel();

    assertThat(answered.interruptedAfterwards).isFalse();
    assertThat(answered.thread.isInterrupted()).isFalse();
    assertThat(answered.response.status()).isEqualTo(200);
  }

  @Test
  void cancelBeforeExecuteSendsNothing() throws Exception {
    McpHttpCall call = client.newCall(post());
    call.cancel();

    assertThatThrownBy(call::execute).isInstanceOf(IOException.class).hasMessage("cancelled");
    assertThat(accepted).isEmpty();
  }

  @Test
  void interruptFromElsewhereIsKeptAndReportedAsAnInterrupt() throws Exception {
    McpHttpCall call = client.newCall(post());
    Future<Outcome> outcome = executeOnItsOwnThread(call);
    awaitRequest();
    Thread caller = awaitCaller();

    caller.interrupt();

    Outcome ended = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ended.failure).isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(ended.interruptedAfterwards).isTrue();
  }

  // ---- helpers

  private final CompletableFuture<Thread> callerThread = new CompletableFuture<>();

  private Thread awaitCaller() throws Exception {
    return callerThread.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static final class Outcome {
    final Thread thread;
    final McpHttpResponse response;
    final Throwable failure;
    final boolean interruptedAfterwards;

    Outcome(Thread thread, McpHttpResponse response, Throwable failure, boolean interrupted) {
      this.thread = thread;
      this.response = response;
      this.failure = failure;
      this.interruptedAfterwards = interrupted;
    }
  }

  private Future<Outcome> executeOnItsOwnThread(McpHttpCall call) {
    return threads.submit(
        () -> {
          callerThread.complete(Thread.currentThread());
          McpHttpResponse response = null;
          Throwable failure = null;
          try {
            response = call.execute();
          } catch (IOException | RuntimeException e) {
            failure = e;
          }
          // Read and clear the flag, so the pool thread is clean for the next test.
          boolean interrupted = Thread.interrupted();
          return new Outcome(Thread.currentThread(), response, failure, interrupted);
        });
  }

  private static McpHttpRequest post() {
    return new McpHttpRequest(
        new OutgoingRequest("POST", URI.create("http://127.0.0.1/mcp"), "tools/call", "slow"),
        Map.of("Accept", "application/json, text/event-stream"),
        McpHeaders.empty(),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
        false);
  }

  /** Waits for a connection and reads the whole request (headers and declared body) from it. */
  private Socket awaitRequest() throws Exception {
    Socket socket = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(socket).as("a request reached the server").isNotNull();
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the request's headers").isNotNegative();
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    int at = headers.indexOf("content-length:");
    if (at >= 0) {
      int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim());
      assertThat(in.readNBytes(length)).hasSize(length);
    }
    return socket;
  }

  /** The client closed its end: the server's read ends (EOF or reset) instead of timing out. */
  private static void assertClosedByClient(Socket socket) {
    int read;
    try {
      read = socket.getInputStream().read();
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the client kept the connection open after cancel", e);
    } catch (IOException reset) {
      return;
    }
    assertThat(read).as("bytes after cancel").isEqualTo(-1);
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }
}
