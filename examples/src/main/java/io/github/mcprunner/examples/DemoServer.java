package io.github.mcprunner.examples;

import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ToolRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's MCP server: the testkit's embedded server (MCP Java SDK on Jetty, Streamable HTTP with
 * sessions, on 127.0.0.1) with two tools of a fictional ticket system. Both answer from the headers
 * of the HTTP request that carried the call, as a real multi-tenant server would: the bearer token
 * names the user, the API key names the tenant, and a request whose headers disagree is refused.
 */
final class DemoServer {

  static final List<String> TOOLS = List.of("whoami", "list_tickets");

  private static final String[] TITLES = {
    "VPN drops every hour",
    "Invoice shows the wrong VAT",
    "Cannot reset password",
    "Export to CSV times out",
    "Dashboard shows yesterday's data",
    "SSO login loops",
    "Printer queue stuck",
  };

  private final Map<String, String> userOfToken = new HashMap<>();
  private final Map<String, String> tenantOfKey = new HashMap<>();
  private final Map<String, Integer> indexOfTenant = new HashMap<>();

  private DemoServer(List<DemoTenant> tenants) {
    for (int i = 0; i < tenants.size(); i++) {
      DemoTenant tenant = tenants.get(i);
      userOfToken.put(tenant.userToken(), tenant.userId());
      tenantOfKey.put(tenant.apiKey(), tenant.tenantId());
      indexOfTenant.put(tenant.tenantId(), i);
    }
  }

  /** Starts the server on a free port of 127.0.0.1; it knows the credentials of {@code tenants}. */
  static EmbeddedMcpServer start(List<DemoTenant> tenants) {
    DemoServer tools = new DemoServer(tenants);
    return EmbeddedMcpServer.builder()
        .mode(EmbeddedMcpServer.Mode.STATEFUL)
        .tool(
            "whoami",
            "Tells who the caller is, as the ticket system authenticated them.",
            "{\"type\":\"object\",\"properties\":{}}",
            (args, request) -> tools.whoami(request))
        .tool(
            "list_tickets",
            "Lists the support tickets of the caller's tenant, optionally only open or closed"
                + " ones.",
            "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\","
                + "\"enum\":[\"open\",\"closed\"]}}}",
            (args, request) -> tools.listTickets(args, request))
        .start();
  }

  /** {@code alice@acme (token ok, API key ok, route eu-1)}, or what did not check out. */
  String whoami(ToolRequest request) {
    Optional<String> user = authenticatedUser(request);
    Optional<String> tenant = authenticatedTenant(request);
    String claimedUser = request.header("X-User-Id").orElse("?");
    String claimedTenant = request.header("X-Tenant-Id").orElse("?");
    return claimedUser
        + "@"
        + claimedTenant
        + " (token "
        + (user.isEmpty() ? "unknown" : user.get().equals(claimedUser) ? "ok" : "of another user")
        + ", API key "
        + (tenant.isEmpty()
            ? "unknown"
            : tenant.get().equals(claimedTenant) ? "ok" : "of another tenant")
        + ", route "
        + request.header("X-Route").orElse("none")
        + ")";
  }

  /**
   * {@code acme, open: ACME-101 VPN drops every hour; ACME-102 ...}; a tool error when the token or
   * the API key is unknown or disagrees with the user and tenant headers.
   */
  String listTickets(Map<String, Object> args, ToolRequest request) {
    String user =
        authenticatedUser(request)
            .orElseThrow(() -> new IllegalArgumentException("401: bearer token not recognised"));
    String tenant =
        authenticatedTenant(request)
            .orElseThrow(() -> new IllegalArgumentException("401: API key not recognised"));
    if (!user.equals(request.header("X-User-Id").orElse(null))
        || !tenant.equals(request.header("X-Tenant-Id").orElse(null))) {
      throw new IllegalArgumentException("403: the credentials belong to another user or tenant");
    }
    Object status = args.get("status");
    int index = indexOfTenant.getOrDefault(tenant, 0);
    String prefix = tenant.toUpperCase(Locale.ROOT).replace("-", "");
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String ticketStatus = i < 2 ? "open" : "closed";
      if (status == null || status.equals(ticketStatus)) {
        String title = TITLES[(index * 3 + i) % TITLES.length];
        tickets.add(
            prefix
                + "-"
                + (101 + i)
                + " "
                + title
                + (status == null ? " (" + ticketStatus + ")" : ""));
      }
    }
    return tenant + (status == null ? "" : ", " + status) + ": " + String.join("; ", tickets);
  }

  private Optional<String> authenticatedUser(ToolRequest request) {
    return request
        .header("Authorization")
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> userOfToken.get(value.substring(7).trim()));
  }

  private Optional<String> authenticatedTenant(ToolRequest request) {
    return request.header("X-Api-Key").map(tenantOfKey::get);
  }
}
