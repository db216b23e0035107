package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.TestFiles.context;
import static io.github.mcprunner.headers.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.config.testing.RecordingLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class ConfiguredHeadersProviderTest {

  @TempDir Path dir;

  @BeforeEach
  void clearLogs() {
    RecordingLogs.clear();
  }

  private static ConfiguredHeadersProvider.Builder isolated() {
    return ConfiguredHeadersProvider.builder()
        .environment(Map.of())
        .systemProperties(Map.of())
        .reloadInterval(Duration.ZERO);
  }

  @Test
  void sectionsApplyGlobalThenUriPrefixThenServerName() {
    Path file =
        write(
            dir.resolve("headers.properties"),
            "headers.X-A=global",
            "headers.X-B=global",
            "headers.X-C=global",
            "headers.X-D=global",
            "uri.api.prefix=https://crm.example.com/api",
            "uri.api.headers.X-B=uri-short",
            "uri.api.headers.X-C=uri-short",
            "uri.v2.prefix=https://crm.example.com/api/v2/",
            "uri.v2.headers.X-C=uri-long",
            "uri.v2.headers.X-D=uri-long",
            "server.crm.headers.X-D=server");

    try (ConfiguredHeadersProvider provider = isolated().file(file).build()) {
      assertThat(provider.headers(context("crm", "https://crm.example.com/api/v2/mcp")).asMap())
          .containsExactly(
              Map.entry("X-A", "global"),
              Map.entry("X-B", "uri-short"),
              Map.entry("X-C", "uri-long"),
              Map.entry("X-D", "server"));
      assertThat(provider.headers(context("other", "https://crm.example.com/api/mcp")).asMap())
          .containsExactly(
              Map.entry("X-A", "global"),
              Map.entry("X-B", "uri-short"),
              Map.entry("X-C", "uri-short"),
              Map.entry("X-D", "global"));
      assertThat(provider.headers(context("crm", "https://billing.example.com/")).asMap())
          .containsExactly(
              Map.entry("X-A", "global"),
              Map.entry("X-B", "global"),
              Map.entry("X-C", "global"),
              Map.entry("X-D", "server"));
      assertThat(provider.headers(context("x", "https://crm.example.com/apiv2")).get("X-B"))
          .contains("global");
    }
  }

  @Test
  void withinOneSectionLevelBuilderThenFileThenEnvironmentThenSystemPropertiesWin() {
    Path file =
        write(
            dir.resolve("h.properties"),
            "headers.X-File=file",
            "headers.X-Env=file",
            "headers.X-Sys=file",
            "server.crm.headers.X-Server=file");

    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .global(McpHeaders.of("X-Code", "code", "X-File", "code", "X-Server", "code"))
            .file(file)
            .environment(Map.of("MCPRUNNER_HEADERS", "X-Env=env,X-Sys=env"))
            .systemProperties(Map.of("mcprunner.headers", "X-Sys=sys"))
            .autoConfigure()
            .reloadInterval(Duration.ZERO)
            .build()) {
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).asMap())
          .containsExactly(
              Map.entry("X-Code", "code"),
              Map.entry("X-File", "file"),
              Map.entry("X-Server", "file"),
              Map.entry("X-Env", "env"),
              Map.entry("X-Sys", "sys"));
    }
  }

  @Test
  void aMoreSpecificSectionWinsWhateverItsSource() {
    try (ConfiguredHeadersProvider provider =
        isolated()
            .server("crm", McpHeaders.of("X-A", "code-server"))
            .uriPrefix("https://crm.example.com/", McpHeaders.of("X-B", "code-uri"))
            .systemProperties(Map.of("mcprunner.headers", "X-A=sys-global,X-B=sys-global"))
            .autoConfigure()
            .build()) {
      assertThat(provider.headers(context("crm", "https://crm.example.com/mcp")).asMap())
          .containsExactly(Map.entry("X-A", "code-server"), Map.entry("X-B", "code-uri"));
    }
  }

  @Test
  void environmentSectionsMatchServerNamesSpelledAsVariables() {
    Map<String, String> env =
        Map.of(
            "MCPRUNNER_HEADERS_SERVER_CRM_EU", "X-Region=eu, X-Route = a%2Cb",
            "MCPRUNNER_HEADERS_URI_INTERNAL_PREFIX", "https://mcp.internal.example.com/",
            "MCPRUNNER_HEADERS_URI_INTERNAL_HEADERS", "X-Zone=internal",
            "MCPRUNNER_HEADERS_CONFIG_FILE", "",
            "UNRELATED", "x");

    try (ConfiguredHeadersProvider provider = isolated().environment(env).autoConfigure().build()) {
      assertThat(provider.headers(context("crm-eu", "https://crm.example.com/")).asMap())
          .containsExactly(Map.entry("X-Region", "eu"), Map.entry("X-Route", "a,b"));
      assertThat(provider.headers(context("crm.eu", "https://crm.example.com/")).get("X-Region"))
          .contains("eu");
      assertThat(provider.headers(context("crmeu", "https://crm.example.com/")).isEmpty()).isTrue();
      assertThat(provider.headers(context("any", "https://mcp.internal.example.com/a/mcp")).asMap())
          .containsExactly(Map.entry("X-Zone", "internal"));
    }
  }

  @Test
  void systemPropertySectionsUseExactServerNames() {
    Map<String, String> sys =
        Map.of(
            "mcprunner.headers.server.crm.eu", "X-Region=eu",
            "mcprunner.headers.uri.internal.prefix", "https://mcp.internal.example.com",
            "mcprunner.headers.uri.internal.headers", "X-Zone=internal",
            "mcprunner.headers.config.file", " ");

    try (ConfiguredHeadersProvider provider =
        isolated().systemProperties(sys).autoConfigure().build()) {
      assertThat(provider.headers(context("crm.eu", "https://mcp.internal.example.com/")).asMap())
          .containsExactly(Map.entry("X-Zone", "internal"), Map.entry("X-Region", "eu"));
      assertThat(provider.headers(context("crm-eu", "https://x.test/")).isEmpty()).isTrue();
    }
  }

  @Test
  void referencesResolveFromTheEnvironmentSystemPropertiesAndFilesBesideTheConfiguration()
      throws IOException {
    Files.createDirectories(dir.resolve("secrets"));
    write(dir.resolve("secrets/crm-key"), "  crm-secret-value  ", "");
    Path file =
        write(
            dir.resolve("h.properties"),
            "server.crm.headers.X-Api-Key=${file:secrets/crm-key}",
            "server.crm.headers.Authorization=Bearer ${env:CRM_TOKEN}",
            "headers.X-Client=${sys:client.name}/1.0 $${literal}");

    try (ConfiguredHeadersProvider provider =
        isolated()
            .file(file)
            .environment(Map.of("CRM_TOKEN", "tok-123"))
            .systemProperties(Map.of("client.name", "runner"))
            .build()) {
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).asMap())
          .containsExactly(
              Map.entry("X-Client", "runner/1.0 ${literal}"),
              Map.entry("X-Api-Key", "crm-secret-value"),
              Map.entry("Authorization", "Bearer tok-123"));
    }
  }

  @Test
  void missingReferenceFailsAtStartUpNamingFileLineAndKey() {
    Path file =
        write(
            dir.resolve("h.properties"),
            "# secrets",
            "server.crm.headers.X-Api-Key=${env:CRM_KEY}");

    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage(
            "Header configuration file '"
                + file
                + "' line 2, key 'server.crm.headers.X-Api-Key': ${env:CRM_KEY} names an"
                + " environment variable that is not set");
  }

  @Test
  void invalidValueFailsAtStartUpNamingKeyAndLineButNotTheValue() {
    Path file =
        write(
            dir.resolve("h.properties"),
            "headers.X-Ok=fine",
            "",
            "headers.X-Bad=hunter2\\r\\nX-Injected: 1");

    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("line 3, key 'headers.X-Bad'")
        .hasMessageContaining("line break")
        .hasMessageNotContaining("hunter2")
        .hasCauseInstanceOf(InvalidMcpHeaderException.class);
  }

  @Test
  void invalidValueFromASecretIsRefusedWithoutEchoingIt() throws IOException {
    write(dir.resolve("key"), "line-one-hunter2", "line-two-hunter2");
    Path file = write(dir.resolve("h.properties"), "headers.X-Api-Key=${file:key}");

    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("line 1, key 'headers.X-Api-Key'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void protectedHeadersAreRefusedFromEverySource() {
    Path file = write(dir.resolve("h.properties"), "server.crm.headers.Content-Type=text/plain");
    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("Header 'Content-Type'")
        .hasMessageContaining("line 1, key 'server.crm.headers.Content-Type'")
        .hasMessageContaining("only the transport may set");
    assertThatThrownBy(
            () ->
                isolated()
                    .environment(Map.of("MCPRUNNER_HEADERS", "X-A=1,Mcp-Session-Id=abc"))
                    .autoConfigure()
                    .build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("environment variable 'MCPRUNNER_HEADERS', item 2");
    assertThatThrownBy(() -> isolated().global(McpHeaders.of("Host", "evil.test")))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("Header 'Host'");
  }

  @Test
  void unknownKeysDuplicatesAndIncompleteUriSectionsAreRefused() {
    assertStartUpError(
        List.of("headers.X-A=1", "sever.crm.headers.X-B=2"),
        "line 2, key 'sever.crm.headers.X-B': unknown key");
    assertStartUpError(
        List.of("headers.X-A=1", "headers.x-a=2"),
        "line 2, key 'headers.x-a': header 'x-a' is already set by Header configuration file");
    assertStartUpError(List.of("uri.a.headers.X-A=1"), "URI section 'a' has headers but no prefix");
    assertStartUpError(
        List.of("uri.a.prefix=https://a.test/"),
        "line 1, key 'uri.a.prefix': URI section has a" + " prefix but no headers");
    assertStartUpError(
        List.of(
            "uri.a.prefix=https://a.test/",
            "uri.a.headers.X=1",
            "uri.b.prefix=HTTPS://A.TEST:443/",
            "uri.b.headers.X=1"),
        "line 3, key 'uri.b.prefix': the same URI prefix is already configured by");
    assertStartUpError(List.of("uri.a.prefix=a.test"), "must start with http:// or https://");
    assertStartUpError(List.of("headers.Bad\\ Name=1"), "not an RFC 9110 token");
  }

  private void assertStartUpError(List<String> lines, String expected) {
    Path file = write(dir.resolve("broken.properties"), lines.toArray(new String[0]));
    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void missingConfigurationFileIsAStartUpError() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfiguredHeadersProvider.fromFile(missing))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("Header configuration file '" + missing + "' does not exist");
  }

  @Test
  void settingsNameTheFileAndTheReloadInterval() {
    Path file = write(dir.resolve("h.properties"), "headers.X-A=1");

    try (ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .environment(
                Map.of(
                    "MCPRUNNER_HEADERS_CONFIG_FILE",
                    file.toString(),
                    "MCPRUNNER_HEADERS_RELOAD_INTERVAL",
                    "0"))
            .systemProperties(Map.of())
            .autoConfigure()
            .build()) {
      assertThat(provider.isActive()).isTrue();
      assertThat(provider.headers(context("a", "https://a.test/")).get("X-A")).contains("1");
    }
    assertThatThrownBy(
            () ->
                ConfiguredHeadersProvider.builder()
                    .environment(Map.of("MCPRUNNER_HEADERS_CONFIG_FILE", file.toString()))
                    .systemProperties(Map.of("mcprunner.headers.reload.interval", "soon"))
                    .autoConfigure()
                    .build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage(
            "system property 'mcprunner.headers.reload.interval': expected a duration such as"
                + " 10s, 500ms, 1m, 1h or PT1M");
  }

  @Test
  void providerConfiguredByNoSettingIsInert() {
    ConfiguredHeadersProvider provider =
        ConfiguredHeadersProvider.builder()
            .environment(
                Map.of(
                    "PATH", "/bin",
                    "MCPRUNNER_HEADERS_TENANTS_FILE", "t.properties",
                    "MCPRUNNER_HEADERS_RELOAD_INTERVAL", "soon"))
            .systemProperties(Map.of("user.name", "x"))
            .autoConfigure()
            .build();

    assertThat(provider.isActive()).isFalse();
    assertThat(provider.appliesTo(McpServerRef.of("crm", "https://crm.example.com/"))).isFalse();
    assertThat(provider.headers(context("crm", "https://crm.example.com/")).isEmpty()).isTrue();
    assertThat(provider.reload()).isFalse();
    assertThat(provider.checkForChanges()).isFalse();
    assertThat(provider)
        .hasToString("ConfiguredHeadersProvider{name=configured-headers, order=-100, inert}");
    provider.close();
  }

  @Test
  void serviceLoaderFindsBothProvidersAndOneSettingSwitchesOnTheConfiguredOne() {
    Path file = write(dir.resolve("h.properties"), "headers.X-Discovered=yes");
    String property = "mcprunner.headers.config.file";
    System.setProperty(property, file.toString());
    List<McpHeaderProvider> found = new ArrayList<>();
    try {
      ServiceLoader.load(McpHeaderProvider.class).forEach(found::add);
    } finally {
      System.clearProperty(property);
    }

    assertThat(found)
        .extracting(McpHeaderProvider::name, McpHeaderProvider::order)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("configured-headers", -100),
            org.assertj.core.groups.Tuple.tuple("tenant-headers", -50));
    for (McpHeaderProvider provider : found) {
      if (provider instanceof ConfiguredHeadersProvider configured) {
        assertThat(configured.isActive()).isTrue();
        assertThat(configured.headers(context("a", "https://a.test/")).get("X-Discovered"))
            .contains("yes");
        configured.close();
      } else {
        assertThat(((TenantHeadersProvider) provider).isActive()).isFalse();
      }
    }
  }

  @Test
  void worldReadableFilesProduceOneWarningEach() throws IOException {
    Path secret = write(dir.resolve("key"), "k");
    Path file = write(dir.resolve("h.properties"), "headers.X-Api-Key=${file:key}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

    try (ConfiguredHeadersProvider provider = isolated().file(file).build()) {
      provider.reload();
      provider.reload();
    }

    List<RecordingLogs.Event> warnings = RecordingLogs.events(Level.WARN);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0).text())
        .isEqualTo(
            "Header configuration file '"
                + file
                + "' is readable by every user of the machine (permissions rw-r--r--); make it"
                + " readable by its owner only");
    assertThat(warnings.get(1).text()).startsWith("Secret file '" + secret + "' is readable");
  }

  @Test
  void ownerOnlyFilesProduceNoWarning() {
    Path file = write(dir.resolve("h.properties"), "headers.X-A=1");
    try (ConfiguredHeadersProvider provider = isolated().file(file).build()) {
      assertThat(provider.isActive()).isTrue();
    }
    assertThat(RecordingLogs.events(Level.WARN)).isEmpty();
  }

  @Test
  void secretsNeverAppearInLogsExceptionsOrToString() throws IOException {
    write(dir.resolve("key"), "FILE-SECRET-1");
    Path file =
        write(
            dir.resolve("h.properties"),
            "headers.X-Api-Key=${file:key}",
            "headers.X-Plain=PLAIN-SECRET-2",
            "server.crm.headers.Authorization=Bearer ${env:TOKEN}");
    List<String> texts = new ArrayList<>();
    try (ConfiguredHeadersProvider provider =
        isolated()
            .file(file)
            .environment(Map.of("TOKEN", "ENV-SECRET-3"))
            .systemProperties(Map.of("mcprunner.headers", "X-Sys=SYS-SECRET-4"))
            .autoConfigure()
            .build()) {
      texts.add(provider.toString());
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).size()).isEqualTo(4);
      // A broken version holding secrets is refused and logged without them.
      write(
          dir.resolve("h.properties"),
          "headers.X-Api-Key=${file:key}",
          "headers.X-Plain=PLAIN-SECRET-2\\u0000",
          "server.crm.headers.Authorization=Bearer ${env:TOKEN}\\n");
      assertThat(provider.reload()).isFalse();
      write(dir.resolve("h.properties"), "headers.X-Api-Key=${file:key}", "headers.X-Bad=${env:");
      assertThat(provider.reload()).isFalse();
      texts.add(provider.toString());
    }
    for (String broken :
        List.of(
            "headers.X-Plain=PLAIN-SECRET-2\\u0007",
            "headers.X-Plain=${env:TOKEN}\\u00e9",
            "server.crm.headers.X=a ${env:TOKEN} ${file:key} ${env:NOPE}",
            "headers.X-Plain=PLAIN-SECRET-2${env:TOKEN")) {
      Path other = write(dir.resolve("other.properties"), "headers.X-Api-Key=${file:key}", broken);
      try {
        isolated().file(other).environment(Map.of("TOKEN", "ENV-SECRET-3")).build().close();
        throw new AssertionError("expected a start-up error for " + broken);
      } catch (HeaderConfigException e) {
        texts.add(e.getMessage());
        texts.add(String.valueOf(e.getCause()));
      }
    }

    texts.add(RecordingLogs.allText());
    assertThat(RecordingLogs.events(Level.ERROR)).hasSize(2);
    for (String text : texts) {
      assertThat(text)
          .doesNotContain("FILE-SECRET-1")
          .doesNotContain("PLAIN-SECRET-2")
          .doesNotContain("ENV-SECRET-3")
          .doesNotContain("SYS-SECRET-4");
    }
  }

  @Test
  void builderRefusesPrefixesThatCannotSelectServersSafely() {
    assertThatThrownBy(() -> isolated().uriPrefix("crm.example.com", McpHeaders.of("X-A", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uriPrefix: the URI prefix must start with http:// or https://");
    assertThatThrownBy(() -> isolated().reloadInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderNameAndOrderAreUsed() {
    try (ConfiguredHeadersProvider provider = isolated().name("fixed").order(7).build()) {
      assertThat(provider.name()).isEqualTo("fixed");
      assertThat(provider.order()).isEqualTo(7);
      assertThat(provider.isActive()).isTrue();
      assertThat(provider.headers(context("a", "https://a.test/")).isEmpty()).isTrue();
    }
  }

  @Test
  void removalsGivenInCodeAreKept() {
    try (ConfiguredHeadersProvider provider =
        isolated()
            .global(McpHeaders.of("X-Trace", "on"))
            .server("crm", McpHeaders.builder().remove("X-Trace").build())
            .build()) {
      McpHeaders crm = provider.headers(context("crm", "https://crm.example.com/"));
      assertThat(crm.contains("X-Trace")).isFalse();
      assertThat(crm.removes("X-Trace")).isTrue();
      assertThat(provider.headers(context("b", "https://b.test/")).get("X-Trace")).contains("on");
    }
  }

  @Test
  void secretReferenceToAFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("token-fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo available");
    Path file = write(dir.resolve("h.properties"), "headers.Authorization=${file:token-fifo}");

    // Would block in open() until a writer appears, were the FIFO opened.
    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage(
            "Header configuration file '"
                + file
                + "' line 1, key 'headers.Authorization': ${file:token-fifo} names something that"
                + " is not a regular file");
    assertThatThrownBy(() -> isolated().file(fifo).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("Header configuration file '" + fifo + "' is not a regular file");
  }

  @Test
  void overlongValueIsRefusedNamingTheKey() {
    Path file = write(dir.resolve("h.properties"), "headers.X-Big=" + "a".repeat(10_000));

    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage(
            "Header configuration file '"
                + file
                + "' line 1, key 'headers.X-Big': the value of header 'X-Big' is longer than 8192"
                + " characters");
  }

  @Test
  void byteOrderMarkAtTheStartIsIgnored() throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "\uFEFFtoken-1\n");
    Path file = dir.resolve("h.properties");
    Files.writeString(file, "\uFEFFheaders.X-A=1\nheaders.Authorization=${file:token}\n");
    TestFiles.ownerOnly(file);
    TestFiles.ownerOnly(token);

    try (ConfiguredHeadersProvider provider = isolated().file(file).build()) {
      McpHeaders headers = provider.headers(context("a", "https://a.test/"));
      assertThat(headers.get("X-A")).contains("1");
      assertThat(headers.get("Authorization")).contains("token-1");
    }
  }
}
