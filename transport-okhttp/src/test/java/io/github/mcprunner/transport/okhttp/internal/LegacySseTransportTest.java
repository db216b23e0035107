package io.github.mcprunner.transport.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The legacy HTTP+SSE transport's close against work already handed to its executor: a task that
 * starts after close sends nothing, against the embedded server in SSE mode. The executor holds the
 * tasks, so that the order is the test's, not the scheduler's.
 */
class LegacySseTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anEventStreamWhoseTaskStartsAfterCloseIsNeverOpened() throws Exception {
    OkHttpClient client = new OkHttpClient();
    try (EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.SSE).defaultTools().start()) {
      List<Runnable> held = new CopyOnWriteArrayList<>();
      LegacySseTransport transport =
          new LegacySseTransport(
              new TransportSettings(
                  new McpServerRef("tickets", server.url()),
                  TransportKind.SSE,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(5),
                  (request, context) -> McpHeaders.empty(),
                  McpJsonDefaults.getMapper()),
              client,
              client,
              held::add);
      CompletableFuture<Void> connected = transport.connect(messages -> messages).toFuture();
      assertThat(held).as("the event stream's task, handed to the executor").hasSize(1);

      transport.closeGracefully().block(WAIT);
      Thread late = new Thread(held.get(0), "late-stream-task");
      late.setDaemon(true);
      late.start();
      late.join(WAIT.toMillis());

      assertThat(late.isAlive()).as("the late task returned instead of reading a stream").isFalse();
      assertThat(server.requests()).as("nothing reached the server after close").isEmpty();
      Throwable failure = catchThrowable(() -> connected.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertThat(failure).isInstanceOf(ExecutionException.class);
      assertThat(failure.getCause()).hasMessageContaining("closed");
    } finally {
      client.dispatcher().cancelAll();
      client.connectionPool().evictAll();
      client.dispatcher().executorService().shutdown();
    }
  }
}
