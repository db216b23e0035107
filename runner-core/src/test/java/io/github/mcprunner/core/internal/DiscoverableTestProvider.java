package io.github.mcprunner.core.internal;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;

/** Registered with {@code @AutoService}, to be found by {@link HeaderProviders#discover}. */
@AutoService(McpHeaderProvider.class)
public final class DiscoverableTestProvider implements McpHeaderProvider {

  @Override
  public String name() {
    return "discoverable-test";
  }

  @Override
  public int order() {
    return 100;
  }

  @Override
  public McpHeaders headers(HeaderContext context) {
    return context
        .get(ContextKey.TENANT_ID)
        .map(tenant -> McpHeaders.of("X-Tenant-Id", tenant))
        .orElse(McpHeaders.empty());
  }
}
