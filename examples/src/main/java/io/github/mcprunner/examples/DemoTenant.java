package io.github.mcprunner.examples;

import io.github.mcprunner.headers.McpHeaders;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One tenant of the demo and its one signed-in user, with the credentials each is known by: the
 * user's bearer token (sent per run) and the tenant's API key (looked up by the tenant provider).
 * Credentials are random for every demo start.
 *
 * @param tenantId the tenant's id, e.g. {@code acme}
 * @param userId the user's id, e.g. {@code alice}
 * @param userToken the user's bearer token
 * @param apiKey the tenant's API key for the MCP server
 * @param route the tenant's routing hint, e.g. {@code eu-1}
 */
record DemoTenant(String tenantId, String userId, String userToken, String apiKey, String route) {

  private static final String[][] NAMED = {
    {"acme", "alice", "eu-1"},
    {"globex", "bob", "us-1"},
    {"initech", "carol", "us-2"},
    {"umbrella", "dave", "eu-2"},
    {"hooli", "erin", "us-1"},
    {"soylent", "frank", "eu-1"},
    {"wonka", "grace", "eu-2"},
    {"stark", "heidi", "us-2"},
  };

  /** Returns {@code count} tenants: the named ones first, then {@code tenant-9, user-9, ...}. */
  static List<DemoTenant> create(int count, SecureRandom random) {
    List<DemoTenant> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String tenant = i < NAMED.length ? NAMED[i][0] : "tenant-" + (i + 1);
      String user = i < NAMED.length ? NAMED[i][1] : "user-" + (i + 1);
      String route = i < NAMED.length ? NAMED[i][2] : (i % 2 == 0 ? "eu-1" : "us-1");
      tenants.add(
          new DemoTenant(
              tenant,
              user,
              "utk_" + secret(random),
              "key_" + tenant + "_" + secret(random),
              route));
    }
    return List.copyOf(tenants);
  }

  /** Returns what the tenant provider looks up for this tenant: id, API key and route. */
  McpHeaders tenantHeaders() {
    return McpHeaders.of("X-Tenant-Id", tenantId, "X-Api-Key", apiKey, "X-Route", route);
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Never prints the credentials. */
  @Override
  public String toString() {
    return "DemoTenant{" + tenantId + ", user " + userId + "}";
  }
}
