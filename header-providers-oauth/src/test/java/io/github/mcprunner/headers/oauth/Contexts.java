package io.github.mcprunner.headers.oauth;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;

/** Request contexts as the runner would build them. */
public final class Contexts {
  public static final McpServerRef CRM = McpServerRef.of("crm", "https://CRM.Example.com:443/mcp/");
  public static final String CRM_CANONICAL = "https://crm.example.com/mcp";
  public static final McpServerRef TICKETS =
      McpServerRef.of("tickets", "https://tickets.example.com:8443/mcp");
  public static final String TICKETS_CANONICAL = "https://tickets.example.com:8443/mcp";

  private Contexts() {}

  public static HeaderContext forUser(McpServerRef server, String subjectToken) {
    return HeaderContext.builder(server)
        .runId("run-1")
        .mcpMethod("tools/call")
        .put(ContextKey.SUBJECT_TOKEN, subjectToken)
        .build();
  }

  public static HeaderContext withoutUser(McpServerRef server) {
    return HeaderContext.builder(server).runId("run-2").mcpMethod("tools/list").build();
  }

  public static String bearer(io.github.mcprunner.headers.McpHeaders headers) {
    String value = headers.get("Authorization").orElseThrow();
    if (!value.startsWith("Bearer ")) {
      throw new AssertionError("not a Bearer header");
    }
    return value.substring("Bearer ".length());
  }
}
