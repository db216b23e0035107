package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.ConfiguredHeadersReloadTest.appendInPlace;
import static io.github.mcprunner.headers.config.ConfiguredHeadersReloadTest.writeInPlace;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.testing.RecordingLogs;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * 16 concurrent runs against the embedded MCP server while the configuration file is rewritten in
 * place by writers that do not rename: truncate then write in chunks (a check between any two
 * chunks: the writer pauses less than the check interval), truncate and rewrite while a load reads
 * the file, and truncate then stall. The checks are driven by the test (interval zero), not by
 * time. Every request the server recorded carries exactly one complete version.
 */
class InPlaceWritersEndToEndTest {
  private static final int RUNS = 16;
  private static final int VERSIONS = 24;
  private static final int PARTS = 8;

  @TempDir Path dir;

  @BeforeEach
  void clearLogs() {
    RecordingLogs.clear();
  }

  @Test
  void everyRequestCarriesExactlyOneCompleteVersionWhileWritersRewriteInPlace() throws Exception {
    Path file = dir.resolve("headers.properties");
    AtomicReference<@Nullable Runnable> duringNextLoad = new AtomicReference<>();
    try (EmbeddedMcpServer server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      String prefix = server.baseUri().toString();
      TestFiles.write(file, versionFile(0, prefix));
      ExecutorService pool = Executors.newFixedThreadPool(RUNS);
      try (ConfiguredHeadersProvider provider =
              ConfiguredHeadersProvider.builder()
                  .file(file)
                  .environment(Map.of())
                  .systemProperties(Map.of())
                  .reloadInterval(Duration.ZERO)
                  .beforeLoad(
                      () -> {
                        Runnable hook = duringNextLoad.getAndSet(null);
                        if (hook != null) {
                          hook.run();
                        }
                      })
                  .build();
          Runner runner =
              Runners.builder().discoverHeaderProviders(false).headerProvider(provider).build()) {
        Agent agent =
            Agent.builder("support")
                .model(
                    ScriptedModel.builder()
                        .callTool("list_tickets", "{}")
                        .callTool("whoami", "{}")
                        .answer(ScriptedModel::lastToolOutput)
                        .build())
                .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
                .build();
        AtomicBoolean writing = new AtomicBoolean(true);
        Queue<Throwable> runFailures = new ConcurrentLinkedQueue<>();
        List<Future<?>> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
          int id = r;
          runs.add(
              pool.submit(
                  () -> {
                    int n = 0;
                    while (writing.get()) {
                      try {
                        runner.run(
                            agent,
                            "my tickets",
                            RunOptions.builder()
                                .mcpHeaders(McpHeaders.of("X-Run", id + "-" + n++))
                                .build());
                      } catch (RuntimeException e) {
                        runFailures.add(e);
                        return;
                      }
                    }
                  }));
        }

        int refusedEmpty = 0;
        for (int v = 1; v <= VERSIONS; v++) {
          String content = versionFile(v, prefix);
          switch (v % 3) {
            case 0 -> { // truncate, then slow chunked writes; a check between every two chunks
              writeInPlace(file, "");
              assertThat(provider.checkForChanges()).isFalse();
              int chunk = content.length() / 5 + 1;
              for (int at = 0; at < content.length(); at += chunk) {
                appendInPlace(file, content.substring(at, Math.min(content.length(), at + chunk)));
                assertThat(provider.checkForChanges()).isFalse();
              }
            }
            case 1 -> { // truncate and rewrite while a load reads the file
              writeInPlace(file, content);
              assertThat(provider.checkForChanges()).isFalse();
              String half = content.substring(0, content.lastIndexOf('\n', content.length() / 2));
              duringNextLoad.set(() -> writeInPlace(file, half + "\n"));
              assertThat(provider.checkForChanges()).as("half-written version " + v).isFalse();
              appendInPlace(file, content.substring(half.length() + 1));
              assertThat(provider.checkForChanges()).isFalse();
            }
            default -> { // truncate, then stall for two checks: an empty file is refused
              writeInPlace(file, "");
              assertThat(provider.checkForChanges()).isFalse();
              assertThat(provider.checkForChanges()).isFalse();
              refusedEmpty++;
              writeInPlace(file, content);
              assertThat(provider.checkForChanges()).isFalse();
            }
          }
          assertThat(provider.checkForChanges()).as("complete version " + v).isTrue();
          String expected = Integer.toString(v);
          assertThat(
                  server.awaitRequest(
                      request -> request.headerValues("X-Version").contains(expected),
                      Duration.ofSeconds(30)))
              .as("a request carrying version " + v)
              .isPresent();
        }
        writing.set(false);
        for (Future<?> run : runs) {
          run.get(60, TimeUnit.SECONDS);
        }
        assertThat(runFailures).isEmpty();

        List<RecordedRequest> requests = server.requests();
        TreeSet<Integer> seen = new TreeSet<>();
        for (RecordedRequest request : requests) {
          String problem = oneCompleteVersion(request);
          assertThat(problem).as(request.toString()).isNull();
          seen.add(Integer.parseInt(request.header("X-Version").orElseThrow()));
        }
        assertThat(requests.size()).isGreaterThan(VERSIONS * 2);
        assertThat(seen).containsAll(IntStream.rangeClosed(1, VERSIONS).boxed().toList());
        // The provider's own errors: the log records every logger of this JVM (the embedded
        // server's too), and this test is about what the provider reports.
        assertThat(RecordingLogs.events(Level.ERROR))
            .filteredOn(e -> e.logger().startsWith("io.github.mcprunner.headers.config"))
            .hasSize(refusedEmpty)
            .allSatisfy(
                e ->
                    assertThat(e.text())
                        .contains("'" + file + "' holds no header now")
                        .doesNotContain("X-Part"));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static String versionFile(int v, String prefix) {
    StringBuilder text = new StringBuilder("headers.X-Version=" + v + "\n");
    for (int i = 0; i < PARTS; i++) {
      text.append("headers.X-Part-").append(i).append('=').append(v).append('\n');
    }
    text.append("uri.local.prefix=").append(prefix).append('\n');
    text.append("uri.local.headers.X-Uri=").append(v).append('\n');
    text.append("server.tickets.headers.X-Server=").append(v).append('\n');
    return text.toString();
  }

  private static @Nullable String oneCompleteVersion(RecordedRequest request) {
    List<String> version = request.headerValues("X-Version");
    if (version.size() != 1) {
      return "X-Version " + version.size() + " times";
    }
    List<String> names = new ArrayList<>(List.of("X-Uri", "X-Server"));
    for (int i = 0; i < PARTS; i++) {
      names.add("X-Part-" + i);
    }
    for (String name : names) {
      List<String> values = request.headerValues(name);
      if (!values.equals(version)) {
        return name + " " + values + " in a request of version " + version;
      }
    }
    return null;
  }
}
