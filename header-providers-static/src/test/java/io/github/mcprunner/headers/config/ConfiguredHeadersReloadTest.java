package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.TestFiles.context;
import static io.github.mcprunner.headers.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.testing.RecordingLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class ConfiguredHeadersReloadTest {

  @TempDir Path dir;

  private Path file;

  @BeforeEach
  void setUp() {
    RecordingLogs.clear();
    file = write(dir.resolve("headers.properties"), "headers.X-Version=1");
  }

  private ConfiguredHeadersProvider provider() {
    return ConfiguredHeadersProvider.builder()
        .file(file)
        .environment(Map.of())
        .systemProperties(Map.of())
        .reloadInterval(Duration.ZERO)
        .build();
  }

  private static String version(ConfiguredHeadersProvider provider) {
    return provider.headers(context("crm", "https://crm.example.com/")).get("X-Version").orElse("");
  }

  @Test
  void reloadInstallsTheNewFile() {
    try (ConfiguredHeadersProvider provider = provider()) {
      write(file, "headers.X-Version=2");
      assertThat(version(provider)).isEqualTo("1");
      assertThat(provider.reload()).isTrue();
      assertThat(version(provider)).isEqualTo("2");
    }
  }

  @Test
  void brokenFileKeepsTheOldSetAndLogsOneError() {
    try (ConfiguredHeadersProvider provider = provider()) {
      write(file, "headers.X-Version=2", "headers.X-Key=${env:MISSING}");

      assertThat(provider.reload()).isFalse();
      assertThat(provider.reload()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();

      assertThat(version(provider)).isEqualTo("1");
      List<RecordingLogs.Event> errors = RecordingLogs.events(Level.ERROR);
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).text())
          .isEqualTo(
              "Header provider 'configured-headers' keeps its previous headers: Header"
                  + " configuration file '"
                  + file
                  + "' line 2, key 'headers.X-Key': ${env:MISSING} names an environment variable"
                  + " that is not set");

      write(file, "headers.X-Version=3");
      assertThat(provider.reload()).isTrue();
      assertThat(version(provider)).isEqualTo("3");
      // The provider's own lines, from one snapshot: the log is shared by every thread of the JVM.
      List<RecordingLogs.Event> infos =
          RecordingLogs.events(Level.INFO).stream()
              .filter(e -> e.logger().equals(ConfiguredHeadersProvider.class.getName()))
              .toList();
      assertThat(infos).isNotEmpty();
      assertThat(infos.get(infos.size() - 1).text())
          .isEqualTo(
              "Header provider 'configured-headers' reloaded 1 headers (global 1, servers [], URI"
                  + " prefixes 0) from [Header configuration file '"
                  + file
                  + "']");
    }
  }

  @Test
  void checkForChangesAppliesAChangeOnceItReadsTheSameTwice() {
    try (ConfiguredHeadersProvider provider = provider()) {
      assertThat(provider.checkForChanges()).isFalse();

      write(file, "headers.X-Version=2");
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(version(provider)).isEqualTo("1");

      write(file, "headers.X-Version=3"); // still being written: wait again
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(version(provider)).isEqualTo("1");

      assertThat(provider.checkForChanges()).isTrue();
      assertThat(version(provider)).isEqualTo("3");
      assertThat(provider.checkForChanges()).isFalse();
    }
  }

  @Test
  void truncatedFileDoesNotRemoveEveryHeader() throws IOException {
    write(file, "headers.Authorization=Bearer t", "server.crm.headers.X-Version=1");
    try (ConfiguredHeadersProvider provider = provider()) {
      Files.write(file, new byte[0]); // in place, as a writer that truncates first

      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.reload()).isFalse();

      assertThat(version(provider)).isEqualTo("1");
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).names())
          .containsExactlyInAnyOrder("Authorization", "X-Version");
      assertThat(RecordingLogs.events(Level.ERROR))
          .extracting(RecordingLogs.Event::text)
          .containsExactly(
              "Header provider 'configured-headers' keeps its previous headers: Header"
                  + " configuration file '"
                  + file
                  + "' holds no header now (the previous version has 2); if that is intended,"
                  + " allow it with mcprunner.headers.reload.allow-removing-sections=true (or the"
                  + " builder's allowRemovingSections(true)), or restart");
    }
  }

  @Test
  void reloadThatLosesAServerSectionIsRefused() {
    write(file, "headers.X-Version=1", "server.crm.headers.X-Api-Key=k", "server.b.headers.X-B=b");
    try (ConfiguredHeadersProvider provider = provider()) {
      write(file, "headers.X-Version=2", "server.b.headers.X-B=b2");

      assertThat(provider.reload()).isFalse();

      assertThat(version(provider)).isEqualTo("1");
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).get("X-Api-Key"))
          .contains("k");
      assertThat(RecordingLogs.events(Level.ERROR))
          .singleElement()
          .extracting(RecordingLogs.Event::text)
          .asString()
          .contains("'" + file + "' no longer holds server 'crm'; if that is intended")
          .doesNotContain("X-Api-Key");
    }
  }

  @Test
  void removingSectionsIsAllowedWhenOptedIn() throws IOException {
    write(file, "headers.X-Version=1", "server.crm.headers.X-Api-Key=k");
    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .file(file)
            .environment(Map.of())
            .systemProperties(Map.of())
            .reloadInterval(Duration.ZERO)
            .allowRemovingSections(true)
            .build()) {
      write(file, "headers.X-Version=2");
      assertThat(provider.reload()).isTrue();
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).names())
          .containsExactly("X-Version");

      Files.write(file, new byte[0]);
      assertThat(provider.reload()).isTrue();
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).isEmpty()).isTrue();
      assertThat(RecordingLogs.events(Level.ERROR)).isEmpty();
    }
  }

  @Test
  void settingAllowsRemovingSectionsForTheDiscoveredProvider() throws IOException {
    write(file, "headers.X-Version=1");
    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .autoConfigure()
            .environment(Map.of())
            .systemProperties(
                Map.of(
                    "mcprunner.headers.config.file", file.toString(),
                    "mcprunner.headers.reload.interval", "0",
                    "mcprunner.headers.reload.allow-removing-sections", "TRUE"))
            .build()) {
      Files.write(file, new byte[0]);
      assertThat(provider.reload()).isTrue();
      assertThat(version(provider)).isEmpty();
    }
  }

  @Test
  void truncatedTenantFileKeepsTheTenants() throws IOException {
    Path tenants = write(dir.resolve("tenants.properties"), "tenant.acme.X-Api-Key=k");
    try (TenantHeadersProvider provider =
        TenantHeadersProvider.builder()
            .file(tenants)
            .environment(Map.of())
            .systemProperties(Map.of())
            .reloadInterval(Duration.ZERO)
            .build()) {
      Files.write(tenants, new byte[0]);
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();

      assertThat(provider.headers(TestFiles.tenantContext("acme")).get("X-Api-Key")).contains("k");
      assertThat(RecordingLogs.events(Level.ERROR))
          .extracting(RecordingLogs.Event::text)
          .containsExactly(
              "Header provider 'tenant-headers' keeps its previous headers: Tenant table file '"
                  + tenants
                  + "' holds no tenant and no fallback now (the previous version has 1 tenants);"
                  + " if that is intended, allow it with"
                  + " mcprunner.headers.reload.allow-removing-sections=true (or the builder's"
                  + " allowRemovingSections(true)), or restart");
    }
  }

  /**
   * A writer truncates and rewrites the file in place just after two checks agreed on its content,
   * so the load reads a half-written version: it is not used; the complete one is, once it settled.
   */
  @Test
  void fileRewrittenInPlaceWhileItIsLoadedIsNotUsed() throws IOException {
    AtomicBoolean rewriteDuringLoad = new AtomicBoolean();
    String version3 = versionFile(3);
    String firstHalf = version3.substring(0, version3.length() / 2);
    firstHalf = firstHalf.substring(0, firstHalf.lastIndexOf('\n') + 1); // parses: 6 headers
    String half = firstHalf;
    write(file, versionFile(1));
    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .file(file)
            .environment(Map.of())
            .systemProperties(Map.of())
            .reloadInterval(Duration.ZERO)
            .beforeLoad(
                () -> {
                  if (rewriteDuringLoad.getAndSet(false)) {
                    writeInPlace(file, half);
                  }
                })
            .build()) {
      writeInPlace(file, versionFile(2));
      assertThat(provider.checkForChanges()).isFalse();
      rewriteDuringLoad.set(true);
      assertThat(provider.checkForChanges()).isFalse(); // read the half-written version 3

      HeaderContext crm = context("crm", "https://crm.example.com/api/mcp");
      assertThat(checkOneVersion(provider.headers(crm), 1)).isNull();
      assertThat(version(provider)).isEqualTo("1");

      appendInPlace(file, version3.substring(half.length()));
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isTrue();
      assertThat(checkOneVersion(provider.headers(crm), 1)).isNull();
      assertThat(version(provider)).isEqualTo("3");
      assertThat(RecordingLogs.events(Level.ERROR)).isEmpty();
    }
  }

  static void writeInPlace(Path file, String content) {
    try {
      Files.writeString(
          file,
          content,
          StandardCharsets.UTF_8,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void appendInPlace(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void rotatedSecretFileIsPickedUp() {
    write(dir.resolve("token"), "old-token");
    write(file, "headers.Authorization=Bearer ${file:token}");
    try (ConfiguredHeadersProvider provider = provider()) {
      write(dir.resolve("token"), "new-token");
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isTrue();
      assertThat(provider.headers(context("a", "https://a.test/")).get("Authorization"))
          .contains("Bearer new-token");
    }
  }

  @Test
  void deletedFileKeepsTheOldSetAndLogsOneErrorUntilItComesBack() throws IOException {
    try (ConfiguredHeadersProvider provider = provider()) {
      Files.delete(file);
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.reload()).isFalse();
      assertThat(version(provider)).isEqualTo("1");
      assertThat(RecordingLogs.events(Level.ERROR))
          .extracting(RecordingLogs.Event::text)
          .containsExactly(
              "Header provider 'configured-headers' keeps its previous headers: Header"
                  + " configuration file '"
                  + file
                  + "' does not exist");

      write(file, "headers.X-Version=2");
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isTrue();
      assertThat(version(provider)).isEqualTo("2");
    }
  }

  @Test
  void backgroundCheckReloadsAChangedFile() throws InterruptedException {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch reloaded = new CountDownLatch(1);
    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .file(file)
            .environment(Map.of())
            .systemProperties(Map.of())
            .reloadInterval(Duration.ofMillis(5))
            .reloadScheduler(scheduler)
            .reloadListener(reloaded::countDown)
            .build()) {
      write(file, "headers.X-Version=2");

      assertThat(reloaded.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(version(provider)).isEqualTo("2");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void closeStopsTheBackgroundCheck() throws InterruptedException {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ConfiguredHeadersProvider provider =
          ConfiguredHeadersProvider.builder()
              .file(file)
              .environment(Map.of())
              .systemProperties(Map.of())
              .reloadInterval(Duration.ofMillis(5))
              .reloadScheduler(scheduler)
              .build();
      provider.close();
      scheduler.shutdown();
      assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(version(provider)).isEqualTo("1");
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * Readers resolve headers while the file is rewritten many times: every resolution must hold
   * exactly one complete version (all its headers, all of the same version), and no reader ever
   * goes back to an older version.
   */
  @Test
  void concurrentResolutionAlwaysSeesExactlyOneCompleteVersion() throws InterruptedException {
    int versions = 200;
    int readers = 3;
    write(file, versionFile(0));
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong resolutions = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    HeaderContext crm = context("crm", "https://crm.example.com/api/mcp");

    try (ConfiguredHeadersProvider provider = provider()) {
      List<Thread> threads = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        Thread reader =
            new Thread(
                () -> {
                  awaitQuietly(start);
                  int last = 0;
                  while (writing.get() || resolutions.get() < 1000) {
                    McpHeaders headers = provider.headers(crm);
                    resolutions.incrementAndGet();
                    String problem = checkOneVersion(headers, last);
                    if (problem != null) {
                      failures.add(problem);
                      return;
                    }
                    last = Integer.parseInt(headers.get("X-Version").orElseThrow());
                  }
                });
        threads.add(reader);
        reader.start();
      }
      Thread checker =
          new Thread(
              () -> {
                awaitQuietly(start);
                while (writing.get()) {
                  provider.checkForChanges();
                  Thread.yield();
                }
              });
      threads.add(checker);
      checker.start();

      start.countDown();
      for (int v = 1; v <= versions; v++) {
        if (v % 25 == 0) {
          write(file, "headers.X-Version=" + v, "headers.X-Broken=${env:MISSING}");
          provider.reload();
        }
        write(file, versionFile(v));
        provider.reload();
      }
      writing.set(false);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).isFalse();
      }

      assertThat(failures).isEmpty();
      assertThat(resolutions.get()).isGreaterThanOrEqualTo(1000);
      assertThat(version(provider)).isEqualTo(Integer.toString(versions));
      assertThat(RecordingLogs.events(Level.ERROR)).hasSize(versions / 25);
    }
  }

  static String versionFile(int v) {
    StringBuilder text = new StringBuilder("headers.X-Version=" + v + "\n");
    for (int i = 0; i < 10; i++) {
      text.append("headers.X-Global-").append(i).append('=').append(v).append('\n');
    }
    text.append("uri.api.prefix=https://crm.example.com/api\n");
    text.append("uri.api.headers.X-Uri=").append(v).append('\n');
    text.append("server.crm.headers.X-Server=").append(v).append('\n');
    return text.toString();
  }

  static @Nullable String checkOneVersion(McpHeaders headers, int last) {
    if (headers.size() != 13) {
      return "incomplete set: " + headers.names();
    }
    String version = headers.get("X-Version").orElse("?");
    for (String name : headers.names()) {
      if (!headers.get(name).orElse("").equals(version)) {
        return "mixed versions: " + headers;
      }
    }
    if (Integer.parseInt(version) < last) {
      return "went back from version " + last + " to " + version;
    }
    return null;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
