package io.github.mcprunner.headers.config;

import static io.github.mcprunner.headers.config.TestFiles.context;
import static io.github.mcprunner.headers.config.TestFiles.tenantContext;
import static io.github.mcprunner.headers.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.config.testing.RecordingLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class TenantHeadersProviderTest {

  @TempDir Path dir;

  @BeforeEach
  void clearLogs() {
    RecordingLogs.clear();
  }

  private TenantHeadersProvider.Builder isolated() {
    return TenantHeadersProvider.builder()
        .environment(Map.of("ACME_KEY", "acme-secret"))
        .systemProperties(Map.of())
        .reloadInterval(Duration.ZERO);
  }

  @Test
  void knownTenantsGetTheirHeadersFromTheFile() {
    write(dir.resolve("globex-key"), "globex-secret");
    Path file =
        write(
            dir.resolve("tenants.properties"),
            "tenant.acme.X-Api-Key=${env:ACME_KEY}",
            "tenant.acme.X-Route=eu-1",
            "tenant.globex.example.com.X-Api-Key=${file:globex-key}");

    try (TenantHeadersProvider provider = isolated().file(file).build()) {
      assertThat(provider.headers(tenantContext("acme")).asMap())
          .containsExactly(Map.entry("X-Api-Key", "acme-secret"), Map.entry("X-Route", "eu-1"));
      assertThat(provider.headers(tenantContext("globex.example.com")).asMap())
          .containsExactly(Map.entry("X-Api-Key", "globex-secret"));
    }
  }

  @Test
  void runWithoutTenantIdGetsNothing() {
    Path file = write(dir.resolve("t.properties"), "tenant.acme.X-A=1");
    try (TenantHeadersProvider provider = isolated().file(file).build()) {
      assertThat(provider.headers(context("crm", "https://crm.example.com/")).isEmpty()).isTrue();
    }
  }

  @Test
  void unknownTenantFailsClosedNamingTheTenant() {
    Path file = write(dir.resolve("t.properties"), "tenant.acme.X-A=1");
    try (TenantHeadersProvider provider = isolated().file(file).build()) {
      assertThatThrownBy(() -> provider.headers(tenantContext("initech\r\nX-Evil: 1")))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessage(
              "Header provider 'tenant-headers' failed for server 'crm': tenant"
                  + " 'initech\\u000d\\u000aX-Evil: 1' is not in its tenant table; add it, or"
                  + " enable a fallback (unknown-tenant=fallback in the tenant file, or the"
                  + " builder's fallback(...)); the request was not sent")
          .hasNoCause();
    }
  }

  @Test
  void fallbackFromTheFileServesUnknownTenants() {
    Path file =
        write(
            dir.resolve("t.properties"),
            "tenant.acme.X-Route=eu-1",
            "unknown-tenant=fallback",
            "tenant-default.X-Route=shared");
    try (TenantHeadersProvider provider = isolated().file(file).build()) {
      assertThat(provider.headers(tenantContext("acme")).get("X-Route")).contains("eu-1");
      assertThat(provider.headers(tenantContext("initech")).get("X-Route")).contains("shared");
    }
  }

  @Test
  void fallbackFromCodeServesUnknownTenantsUnlessTheFileSaysFail() {
    try (TenantHeadersProvider provider =
        isolated()
            .tenant("acme", McpHeaders.of("X-A", "1"))
            .fallback(McpHeaders.of("X-A", "0"))
            .build()) {
      assertThat(provider.headers(tenantContext("initech")).get("X-A")).contains("0");
    }
    Path file = write(dir.resolve("t.properties"), "unknown-tenant=fail");
    try (TenantHeadersProvider provider =
        isolated().fallback(McpHeaders.of("X-A", "0")).file(file).build()) {
      assertThatThrownBy(() -> provider.headers(tenantContext("initech")))
          .isInstanceOf(HeaderProviderException.class)
          .hasMessageContaining(": tenant 'initech' is not in its tenant table");
    }
  }

  @Test
  void fallbackSetWithoutEnablingItIsAStartUpError() {
    Path file = write(dir.resolve("t.properties"), "tenant.a.X-A=1", "tenant-default.X-A=0");
    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining(
            "line 2, key 'tenant-default.X-A': a fallback set is given but"
                + " unknown-tenant is not 'fallback'");
  }

  @Test
  void brokenEntriesAreStartUpErrorsNamingLineAndKey() {
    assertStartUpError(
        "tenant.acme.X-Key=${env:NOPE}",
        "line 1, key 'tenant.acme.X-Key': ${env:NOPE} names an environment variable that is not"
            + " set");
    assertStartUpError("tenant.acme.Host=h", "Header 'Host'");
    assertStartUpError("tenants.acme.X=1", "line 1, key 'tenants.acme.X': unknown key");
    assertStartUpError("tenant.acme=1", "unknown key");
    assertStartUpError("unknown-tenant=maybe", "expected 'fail' or 'fallback'");
    assertStartUpError("tenant.acme.X-A=acme-secret\\u0001", "control character");
  }

  private void assertStartUpError(String line, String expected) {
    Path file = write(dir.resolve("broken.properties"), "# tenants", line);
    assertThatThrownBy(() -> isolated().file(file).build())
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageContaining(expected.replace("line 1", "line 2"))
        .hasMessageNotContaining("acme-secret");
  }

  @Test
  void tablesAreMergedLookupThenCodeThenFile() {
    Path file = write(dir.resolve("t.properties"), "tenant.acme.X-C=file");
    try (TenantHeadersProvider provider =
        isolated()
            .lookup(
                id ->
                    id.equals("acme") || id.equals("initech")
                        ? Optional.of(
                            McpHeaders.of("X-A", "lookup", "X-B", "lookup", "X-C", "lookup"))
                        : Optional.empty())
            .tenant("acme", McpHeaders.of("X-B", "code", "X-C", "code"))
            .file(file)
            .build()) {
      assertThat(provider.headers(tenantContext("acme")).asMap())
          .containsExactly(
              Map.entry("X-A", "lookup"), Map.entry("X-B", "code"), Map.entry("X-C", "file"));
      assertThat(provider.headers(tenantContext("initech")).get("X-C")).contains("lookup");
      assertThatThrownBy(() -> provider.headers(tenantContext("other")))
          .isInstanceOf(HeaderProviderException.class);
    }
  }

  @Test
  void lookupFunctionAndMapFactories() {
    TenantHeadersProvider lookup =
        TenantHeadersProvider.of(id -> Optional.of(McpHeaders.of("X-Tenant", id)));
    assertThat(lookup.headers(tenantContext("acme")).get("X-Tenant")).contains("acme");
    assertThat(lookup.name()).isEqualTo("tenant-headers");
    assertThat(lookup.order()).isEqualTo(-50);

    TenantHeadersProvider map = TenantHeadersProvider.of(Map.of("acme", McpHeaders.of("X-A", "1")));
    assertThat(map.headers(tenantContext("acme")).get("X-A")).contains("1");
    assertThatThrownBy(() -> map.headers(tenantContext("ACME")))
        .isInstanceOf(HeaderProviderException.class);

    TenantHeadersProvider protectedLookup =
        TenantHeadersProvider.of(id -> Optional.of(McpHeaders.of("Accept", "*/*")));
    assertThatThrownBy(() -> protectedLookup.headers(tenantContext("acme")))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("tenant lookup of header provider 'tenant-headers'");
    assertThatThrownBy(
            () -> TenantHeadersProvider.builder().tenant("a", McpHeaders.of("Connection", "x")))
        .isInstanceOf(InvalidMcpHeaderException.class);
  }

  @Test
  void providerConfiguredByNoSettingIsInert() {
    TenantHeadersProvider provider =
        TenantHeadersProvider.builder()
            .environment(
                Map.of("MCPRUNNER_HEADERS", "X-A=1", "MCPRUNNER_HEADERS_RELOAD_INTERVAL", "soon"))
            .systemProperties(Map.of())
            .autoConfigure()
            .build();
    assertThat(provider.isActive()).isFalse();
    assertThat(provider.appliesTo(McpServerRef.of("crm", "https://crm.example.com/"))).isFalse();
    assertThat(provider.headers(tenantContext("acme")).isEmpty()).isTrue();
    assertThat(provider)
        .hasToString("TenantHeadersProvider{name=tenant-headers, order=-50, inert}");
  }

  @Test
  void settingSwitchesTheDiscoveredProviderOn() {
    Path file = write(dir.resolve("t.properties"), "tenant.acme.X-A=1");
    try (TenantHeadersProvider provider =
        TenantHeadersProvider.builder()
            .environment(Map.of())
            .systemProperties(
                Map.of(
                    "mcprunner.headers.tenants.file",
                    file.toString(),
                    "mcprunner.headers.reload.interval",
                    "0"))
            .autoConfigure()
            .build()) {
      assertThat(provider.isActive()).isTrue();
      assertThat(provider.headers(tenantContext("acme")).get("X-A")).contains("1");
      assertThat(provider.toString())
          .isEqualTo(
              "TenantHeadersProvider{name=tenant-headers, order=-50, code tenants=0, file: 1"
                  + " tenants, fallback unset}")
          .doesNotContain("acme");
    }
  }

  @Test
  void tenantFileIsReloadedAndABrokenVersionIsLoggedOnce() {
    Path file = write(dir.resolve("t.properties"), "tenant.acme.X-A=1");
    try (TenantHeadersProvider provider = isolated().file(file).build()) {
      write(file, "tenant.acme.X-A=2", "tenant.initech.X-A=2");
      assertThat(provider.checkForChanges()).isFalse();
      assertThat(provider.checkForChanges()).isTrue();
      assertThat(provider.headers(tenantContext("initech")).get("X-A")).contains("2");

      write(file, "tenant.acme.X-A=acme-secret\\n");
      assertThat(provider.reload()).isFalse();
      assertThat(provider.reload()).isFalse();
      assertThat(provider.headers(tenantContext("acme")).get("X-A")).contains("2");
      assertThat(RecordingLogs.events(Level.ERROR)).hasSize(1);
      assertThat(RecordingLogs.allText()).doesNotContain("acme-secret");
    }
  }
}
