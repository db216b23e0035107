package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.TestFiles.context;
import static io.github.mcprunner.headers.config.TestFiles.escape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.internal.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

class ConfiguredHeadersProviderProperties {

  private Path dir;

  @BeforeTry
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("headers-config");
  }

  @AfterTry
  void deleteDirectory() {
    TestFiles.deleteRecursively(dir);
  }

  private ConfiguredHeadersProvider load(List<String> lines, Map<String, String> env) {
    Path file = TestFiles.write(dir.resolve("h.properties"), lines.toArray(new String[0]));
    return ConfiguredHeadersProvider.builder()
        .file(file)
        .environment(env)
        .systemProperties(Map.of())
        .reloadInterval(Duration.ZERO)
        .build();
  }

  @Property(tries = 150)
  void everyValidConfiguredHeaderIsServedExactlyAsWritten(
      @ForAll("headerMaps") Map<String, String> global,
      @ForAll("headerMaps") Map<String, String> server) {
    List<String> lines = new ArrayList<>();
    global.forEach((n, v) -> lines.add("headers." + escape(n) + "=" + escape(v)));
    server.forEach((n, v) -> lines.add("server.crm\\ eu.headers." + escape(n) + " : " + escape(v)));

    try (ConfiguredHeadersProvider provider = load(lines, Map.of())) {
      McpHeaders expected = McpHeaders.of(global).overriddenBy(McpHeaders.of(server));
      assertThat(provider.headers(context("crm eu", "https://crm.example.com/")))
          .isEqualTo(expected);
      assertThat(provider.headers(context("crm", "https://crm.example.com/")))
          .isEqualTo(McpHeaders.of(global));
    }
  }

  @Property(tries = 150)
  void valuesReferencedFromTheEnvironmentAreServedButNeverPrinted(
      @ForAll("headerMaps") Map<String, String> secrets) {
    Map<String, String> env = new TreeMap<>();
    List<String> lines = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      String variable = "SECRET_" + i++;
      env.put(variable, "S3CR3T" + secret.getValue());
      lines.add("headers." + escape(secret.getKey()) + "=${env:" + variable + "}");
    }
    try (ConfiguredHeadersProvider provider = load(lines, env)) {
      McpHeaders served = provider.headers(context("a", "https://a.test/"));
      assertThat(served.size()).isEqualTo(secrets.size());
      secrets.forEach((n, v) -> assertThat(served.get(n)).contains("S3CR3T" + v));
      assertThat(provider.toString()).doesNotContain("S3CR3T");
    }
  }

  @Property(tries = 500)
  void invalidValuesAreRefusedNamingKeyAndLineButNeverTheValue(
      @ForAll("headerNames") String name,
      @ForAll("invalidValues") String value,
      @ForAll("lineCount") int linesBefore) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < linesBefore; i++) {
      lines.add(i % 3 == 0 ? "# comment" : i % 3 == 1 ? "" : "headers.X-Filler-" + i + "=ok");
    }
    lines.add("server.crm.headers." + escape(name) + "=" + escape("S3CR3T" + value));
    String key = "server.crm.headers." + name;

    assertThatThrownBy(() -> load(lines, Map.of()))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining("line " + (linesBefore + 1) + ", key " + SafeText.quote(key))
        .hasMessageNotContaining("S3CR3T");
  }

  @Property(tries = 500)
  void hostileKeysAreRefusedAndPrintedEscaped(@ForAll("hostileKeys") String key) {
    List<String> lines = List.of(escape(key) + "=S3CR3T");
    assertThatThrownBy(() -> load(lines, Map.of()))
        .isInstanceOf(HeaderConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("S3CR3T")
                    .doesNotContain("\r")
                    .doesNotContain("\n")
                    .contains("line 1"));
  }

  @Provide
  Arbitrary<String> headerNames() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withCharRange('0', '9')
        .withChars("!#$%&'*+-.^_`|~")
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(n -> !McpHeaders.isProtected(n));
  }

  @Provide
  Arbitrary<Map<String, String>> headerMaps() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(40),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(2000).ofMaxLength(8000))
            .map(v -> v.replace("${", "$ {").replace("$", "$ "));
    return Arbitraries.maps(headerNames(), values)
        .ofMaxSize(8)
        .filter(
            map ->
                map.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).distinct().count()
                    == map.size());
  }

  @Provide
  Arbitrary<String> invalidValues() {
    Arbitrary<Character> bad =
        Arbitraries.of('\r', '\n', '\0', '\u0007', '\u007f', '\u00e9', '\u2028', '\uD83D');
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .ofMaxLength(20)
        .map(v -> v.replace("$", ""))
        .flatMap(v -> bad.map(c -> v + c + v));
  }

  @Provide
  Arbitrary<Integer> lineCount() {
    return Arbitraries.integers().between(0, 30);
  }

  @Provide
  Arbitrary<String> hostileKeys() {
    Arbitrary<String> junk = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(15);
    return Arbitraries.oneOf(
        junk.map(j -> "headers." + j + "\r\n"),
        junk.map(j -> "server." + j + ".headers.X\n" + j),
        junk.map(j -> "uri." + j + ".header.X"),
        junk.map(j -> "\u0000" + j),
        junk.filter(
            j -> !j.startsWith("headers.") && !j.startsWith("server.") && !j.startsWith("uri.")));
  }
}
