package io.github.mcprunner.examples.readme;

// snippet:header-provider
import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;

@AutoService(McpHeaderProvider.class)
public final class TenantIdProvider implements McpHeaderProvider {
  @Override
  public String name() {
    return "tenant-id";
  }

  @Override
  public int order() {
    return 10; // later than the providers of order 0, so it wins over them
  }

  @Override
  public McpHeaders headers(HeaderContext context) { // called for every HTTP request
    return context
        .get(ContextKey.TENANT_ID)
        .map(tenant -> McpHeaders.of("X-Tenant-Id", tenant))
        .orElse(McpHeaders.empty());
  }
}
// end-snippet
