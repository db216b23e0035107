package io.github.mcprunner.core.internal;

import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Derives the session-pool key of a run for one server. Under {@code PER_IDENTITY}, in this order:
 * the explicit {@code RunOptions.identity}; the run's tenant and user id context values; the {@code
 * X-Tenant-Id} and {@code X-User-Id} per-run headers; a SHA-256 digest of all the run's per-run
 * headers for the server and its subject token; else the anonymous identity shared by runs that
 * carry nothing of their own. Each source has its own prefix, so they never collide, and secrets
 * only ever enter the key through the digest. Not public API.
 */
final class Identities {
  static final String SHARED = "shared";
  static final String ANONYMOUS = "anonymous";

  private Identities() {}

  static String key(SessionStrategy strategy, RunScope scope, String serverName) {
    switch (strategy) {
      case SHARED:
        return SHARED;
      case PER_RUN:
        return "run:" + scope.runId();
      default:
        return perIdentity(scope, serverName);
    }
  }

  private static String perIdentity(RunScope scope, String serverName) {
    Optional<String> explicit = scope.identity();
    if (explicit.isPresent()) {
      return "id:" + explicit.get();
    }
    Optional<String> user = scope.context(ContextKey.USER_ID);
    Optional<String> tenant = scope.context(ContextKey.TENANT_ID);
    if (user.isPresent() || tenant.isPresent()) {
      return "ctx:" + escape(tenant.orElse("")) + "/" + escape(user.orElse(""));
    }
    McpHeaders perRun =
        HeaderLayers.merge(List.of(scope.perRunHeaders(), scope.perServerHeaders(serverName)));
    Optional<String> userHeader = perRun.get("X-User-Id");
    Optional<String> tenantHeader = perRun.get("X-Tenant-Id");
    if (userHeader.isPresent() || tenantHeader.isPresent()) {
      return "hdr:" + escape(tenantHeader.orElse("")) + "/" + escape(userHeader.orElse(""));
    }
    Optional<String> subject = scope.context(ContextKey.SUBJECT_TOKEN);
    if (perRun.isEmpty() && subject.isEmpty()) {
      return ANONYMOUS;
    }
    return "sha256:" + digest(perRun, subject.orElse(null));
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("/", "\\/");
  }

  private static String digest(
      McpHeaders headers, @org.jspecify.annotations.Nullable String subject) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, String> entry : headers.asMap().entrySet()) {
      parts.add(entry.getKey().toLowerCase(Locale.ROOT) + "\u0000" + entry.getValue());
    }
    parts.sort(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 1);
      }
      if (subject != null) {
        sha.update((byte) 2);
        sha.update(subject.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
