package io.github.mcprunner.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The shared Streamable HTTP client on a fake clock ({@link Delays}) and an in-process HTTP client
 * of our own SPI that plays scripted answers: what it is handed is exactly what would be sent.
 */
class StreamableHttpClientTransportTest {

  /** Delays that run only when the test says so, recording what was asked. */
  private static final class FakeDelays implements Delays {
    final List<Duration> asked = new ArrayList<>();
    final Deque<Runnable> due = new ArrayDeque<>();

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
      asked.add(delay);
      due.add(task);
      return () -> due.remove(task);
    }

    synchronized @Nullable Runnable next() {
      return due.poll();
    }
  }

  /** Answers each request with the next scripted response; records every request. */
  private static final class ScriptedHttp implements McpHttpClient {
    final List<McpHttpRequest> sent = new CopyOnWriteArrayList<>();
    final Deque<Answer> answers = new ArrayDeque<>();

    record Answer(int status, Map<String, String> headers, String body) {}

    @Override
    public McpHttpCall newCall(McpHttpRequest request) {
      return new McpHttpCall() {
        @Override
        public McpHttpResponse execute() {
          sent.add(request);
          Answer answer = answers.poll();
          if (answer == null) {
            answer = new Answer(500, Map.of(), "");
          }
          Answer given = answer;
          InputStream body =
              new ByteArrayInputStream(given.body().getBytes(StandardCharsets.UTF_8));
          return new McpHttpResponse() {
            @Override
            public int status() {
              return given.status();
            }

            @Override
            public @Nullable String header(String name) {
              for (Map.Entry<String, String> entry : given.headers().entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                  return entry.getValue();
                }
              }
              return null;
            }

            @Override
            public InputStream body() {
              return body;
            }

            @Override
            public void close() {}
          };
        }

        @Override
        public void cancel() {}
      };
    }
  }

  private final List<OutgoingRequest> resolved = new CopyOnWriteArrayList<>();
  private final FakeDelays delays = new FakeDelays();
  private final ScriptedHttp http = new ScriptedHttp();
  private final List<McpSchema.JSONRPCMessage> received = new CopyOnWriteArrayList<>();

  private StreamableHttpClientTransport transport() {
    return transport(Runnable::run);
  }

  private StreamableHttpClientTransport transport(java.util.concurrent.Executor executor) {
    TransportSettings settings =
        new TransportSettings(
            McpServerRef.of("crm", "http://127.0.0.1:1/mcp"),
            TransportKind.STREAMABLE_HTTP,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            (request, context) -> {
              resolved.add(request);
              return McpHeaders.builder()
                  .set("X-Tenant-Id", "acme")
                  .setSecret("X-Vault", "s3cret")
                  .build();
            },
            McpJsonDefaults.getMapper());
    StreamableHttpClientTransport transport =
        new StreamableHttpClientTransport(settings, http, executor, delays);
    transport
        .connect(
            messages ->
                messages.doOnNext(received::add).then(Mono.<McpSchema.JSONRPCMessage>empty()))
        .block();
    return transport;
  }

  private static McpSchema.JSONRPCRequest toolCall() {
    return new McpSchema.JSONRPCRequest(
        McpSchema.JSONRPC_VERSION,
        "tools/call",
        7,
        Map.of("name", "search", "arguments", Map.of()));
  }

  @Test
  void aPostWhoseTaskStartsAfterCloseIsNotSent() {
    // Had it been sent, this answer would give the closed transport a session nobody deletes.
    http.answers.add(
        new ScriptedHttp.Answer(
            200,
            Map.of("Content-Type", "application/json", "Mcp-Session-Id", "s-late"),
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[]}}"));
    List<Runnable> held = new ArrayList<>();
    StreamableHttpClientTransport transport = transport(held::add);
    var sent = transport.sendMessage(toolCall()).toFuture();
    assertThat(held).as("the POST's task, handed to the executor").hasSize(1);

    transport.closeGracefully().block();
    held.get(0).run();

    assertThat(http.sent).as("nothing was sent after close").isEmpty();
    assertThat(resolved).as("no header was resolved for it").isEmpty();
    assertThat(sent)
        .failsWithin(5, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("is closed");
    assertThat(transport.currentSessionId()).isNull();
  }

  @Test
  void aBrokenAnswerStreamIsResumedAfterTheServersRetryOnTheInjectedClock() {
    http.answers.add(
        new ScriptedHttp.Answer(
            200,
            Map.of("Content-Type", "text/event-stream", "Mcp-Session-Id", "s-1"),
            "id: e1\nretry: 250\ndata: \n\n"));
    http.answers.add(
        new ScriptedHttp.Answer(
            200,
            Map.of("Content-Type", "text/event-stream"),
            "id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[]}}\n\n"));
    StreamableHttpClientTransport transport = transport();

    var sent = transport.sendMessage(toolCall()).toFuture();

    // The answer stream ended before the response: a resumption waits for the server's retry,
    // on the injected clock, and nothing more is sent until that time has come.
    assertThat(delays.asked).contains(Duration.ofMillis(250));
    assertThat(http.sent).hasSize(1);
    assertThat(sent).isNotDone();
    runDue(Duration.ofMillis(250));

    assertThat(sent).succeedsWithin(5, TimeUnit.SECONDS);
    assertThat(received).hasSize(1);
    assertThat(http.sent).hasSize(2);
    McpHttpRequest post = http.sent.get(0);
    McpHttpRequest resume = http.sent.get(1);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(resume.method()).isEqualTo("GET");
    assertThat(resume.protocolHeaders())
        .containsEntry("Last-Event-ID", "e1")
        .containsEntry("Accept", "text/event-stream");
    // Each request's headers were resolved once, before it was handed to the HTTP client, and
    // arrive final, the secret mark intact.
    assertThat(resolved).extracting(OutgoingRequest::httpMethod).containsExactly("POST", "GET");
    assertThat(resolved.get(0).mcpMethod()).isEqualTo("tools/call");
    assertThat(resolved.get(0).toolName()).isEqualTo("search");
    for (McpHttpRequest request : http.sent) {
      assertThat(request.headers().get("X-Tenant-Id")).hasValue("acme");
      assertThat(request.headers().isSecret("X-Vault")).isTrue();
      assertThat(request.headers().toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void theDeadlineOfAnExchangeFailsItOnTheInjectedClock() {
    // A stream that brings nothing and no event id: the exchange would fail at once; instead the
    // server holds the POST's answer open: modelled by a resumption that also brings nothing.
    http.answers.add(
        new ScriptedHttp.Answer(
            200, Map.of("Content-Type", "text/event-stream"), "id: e1\nretry: 100\ndata: \n\n"));
    StreamableHttpClientTransport transport = transport();

    var sent = transport.sendMessage(toolCall()).toFuture();

    // The deadline (the request timeout) was armed first, then the resumption's wait.
    assertThat(delays.asked).containsExactly(Duration.ofSeconds(30), Duration.ofMillis(100));
    Runnable deadline = delays.next();
    assertThat(deadline).isNotNull();
    deadline.run();

    assertThat(sent).failsWithin(5, TimeUnit.SECONDS);
    Throwable error = sent.handle((ok, failure) -> failure).join();
    while (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    assertThat(error)
        .isInstanceOf(java.util.concurrent.TimeoutException.class)
        .hasMessageContaining("no response to tools/call within PT30S");
  }

  private void runDue(Duration which) {
    // The deadline is due first in the queue; run the resumption, which was asked after it.
    Runnable deadline = delays.next();
    Runnable resumption = delays.next();
    assertThat(resumption).as("a resumption after %s", which).isNotNull();
    resumption.run();
    if (deadline != null) {
      delays.due.addFirst(deadline);
    }
  }
}
