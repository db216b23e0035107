package com.example.assistant;

import static java.util.Objects.requireNonNull;

/**
 * A user signed in to the service, with a token for the MCP servers.
 *
 * @param id the user's id
 * @param tenantId the user's tenant
 * @param token a bearer token for the MCP servers, minted for this user
 */
public record SignedInUser(String id, String tenantId, String token) {
  /** Checks that no part is null. */
  public SignedInUser {
    requireNonNull(id, "id");
    requireNonNull(tenantId, "tenantId");
    requireNonNull(token, "token");
  }
}
