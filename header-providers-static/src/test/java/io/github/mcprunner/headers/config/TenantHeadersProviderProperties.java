package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.TestFiles.escape;
import static io.github.mcprunner.headers.config.TestFiles.tenantContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.internal.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

class TenantHeadersProviderProperties {

  private Path dir;

  @BeforeTry
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("tenants");
  }

  @AfterTry
  void deleteDirectory() {
    TestFiles.deleteRecursively(dir);
  }

  @Property(tries = 100)
  void everyTenantInTheFileGetsExactlyItsOwnHeaders(
      @ForAll("tables") Map<String, Map<String, String>> table) {
    List<String> lines = new ArrayList<>();
    table.forEach(
        (tenant, headers) ->
            headers.forEach(
                (name, value) ->
                    lines.add("tenant." + escape(tenant) + "." + name + "=" + escape(value))));
    Path file = TestFiles.write(dir.resolve("t.properties"), lines.toArray(new String[0]));

    try (TenantHeadersProvider provider =
        TenantHeadersProvider.builder()
            .file(file)
            .environment(Map.of())
            .systemProperties(Map.of())
            .reloadInterval(Duration.ZERO)
            .build()) {
      table.forEach(
          (tenant, headers) ->
              assertThat(provider.headers(tenantContext(tenant)))
                  .isEqualTo(headers.isEmpty() ? McpHeaders.empty() : McpHeaders.of(headers)));
    }
  }

  @Property(tries = 500)
  void unknownTenantFailsClosedNamingTheTenantOnOneSafeLine(@ForAll("tenantIds") String tenant) {
    TenantHeadersProvider provider =
        TenantHeadersProvider.of(Map.of("known", McpHeaders.of("X-A", "1")));
    if (tenant.equals("known")) {
      return;
    }
    assertThatThrownBy(() -> provider.headers(tenantContext(tenant)))
        .isInstanceOf(HeaderProviderException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .startsWith(
                        "Header provider 'tenant-headers' failed for server 'crm': tenant "
                            + SafeText.quote(tenant)
                            + " is not in its tenant table; add it")
                    .doesNotContain("\r")
                    .doesNotContain("\n")
                    .doesNotContain("\u0000"));
  }

  @Provide
  Arbitrary<String> tenantIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.strings().withChars("a.b-=:# \\\r\n\u00e9").ofMinLength(1).ofMaxLength(20));
  }

  @Provide
  Arbitrary<Map<String, Map<String, String>>> tables() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('A', 'Z')
            .withChars("-_")
            .ofMinLength(1)
            .ofMaxLength(10)
            // "TE", "HOST", ...: a protected name is refused at load, as its own test checks.
            .filter(n -> !McpHeaders.isProtected(n));
    Arbitrary<String> values =
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30).map(v -> v.replace("$", ""));
    Arbitrary<Map<String, String>> headers =
        Arbitraries.maps(names, values).ofMinSize(1).ofMaxSize(4);
    return Arbitraries.maps(tenantIds().filter(t -> !t.isEmpty()), headers).ofMaxSize(6);
  }
}
