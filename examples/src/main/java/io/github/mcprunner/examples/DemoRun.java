package io.github.mcprunner.examples;

import io.github.mcprunner.RunOptions;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One planned run: its label, tenant, transport, the per-run headers it passes, and every header
 * value the MCP server must see on each of its requests.
 *
 * @param label {@code seq-1}, {@code par-2}, ...
 * @param transport the transport the run goes over
 * @param tenant the tenant and user the run acts for
 * @param nonce a value no other run has, sent as {@value #NONCE_HEADER}
 * @param mcpHeaders the per-run headers ({@code RunOptions.mcpHeaders})
 * @param expected every header value the server must see on a request of this run (the per-run
 *     headers and the tenant provider's), by header name
 */
record DemoRun(
    String label,
    String transport,
    DemoTenant tenant,
    String nonce,
    McpHeaders mcpHeaders,
    Map<String, String> expected) {

  /** The header that tags every request with the run it belongs to. */
  static final String NONCE_HEADER = "X-Run-Nonce";

  DemoRun {
    expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
  }

  /**
   * Plans a run: per-run headers {@code Authorization: Bearer <user token>}, {@code X-User-Id}, the
   * nonce and the {@code --header} extras (which win over the defaults of the same name); the
   * tenant's headers come from the provider, selected by the {@link ContextKey#TENANT_ID} context.
   */
  static DemoRun plan(
      String label,
      String transport,
      DemoTenant tenant,
      String nonce,
      List<DemoOptions.HeaderOption> extras) {
    McpHeaders.Builder perRun =
        McpHeaders.builder()
            .set("Authorization", "Bearer " + tenant.userToken())
            .set("X-User-Id", tenant.userId())
            .set(NONCE_HEADER, nonce);
    for (DemoOptions.HeaderOption extra : extras) {
      perRun.set(extra.name(), extra.valueFor(tenant.tenantId(), tenant.userId(), label));
    }
    McpHeaders mcpHeaders = perRun.build();
    Map<String, String> expected = new LinkedHashMap<>();
    tenant.tenantHeaders().forEach(expected::put);
    // Per-run headers sit above providers in the chain: they win per name.
    tenant
        .tenantHeaders()
        .names()
        .forEach(
            name -> {
              if (mcpHeaders.contains(name)) {
                expected.remove(name);
              }
            });
    mcpHeaders.forEach(expected::put);
    return new DemoRun(label, transport, tenant, nonce, mcpHeaders, expected);
  }

  /** Returns the options of the run: its headers and its tenant and user as context. */
  RunOptions options() {
    return RunOptions.builder()
        .mcpHeaders(mcpHeaders)
        .context(ContextKey.TENANT_ID, tenant.tenantId())
        .context(ContextKey.USER_ID, tenant.userId())
        .build();
  }

  /** Returns the value the server must see for header {@code name}, case-insensitively. */
  Optional<String> expectedValue(String name) {
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "DemoRun{" + label + ", " + transport + ", " + tenant + "}";
  }
}
