package io.github.mcprunner.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header-name policy of mcp-runner, in one place: which names no layer may set (HTTP framing
 * and MCP protocol headers, {@link McpHeaders#isProtected(String)}) and whose values are secrets
 * ({@link McpHeaders#isSensitive(String)}). Package-private: {@link McpHeaders} answers the public
 * queries.
 */
final class HeaderNames {
  private HeaderNames() {}

  private static final Set<String> PROTECTED =
      Set.of(
          // HTTP framing
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "upgrade",
          "expect",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection",
          "http2-settings",
          // Content coding: the transport decides what it asks for and sends (a per-run
          // Accept-Encoding could bring back a compressed answer the client does not decode)
          "content-encoding",
          "accept-encoding",
          // Browser-only: MCP servers check Origin against DNS rebinding; a server-side client
          // sends none, and a per-run value could claim an origin the server trusts
          "origin",
          // MCP protocol
          "content-type",
          "accept",
          "mcp-session-id",
          "mcp-protocol-version",
          "last-event-id",
          "mcp-method",
          "mcp-name",
          "cache-control");

  private static final String PROTECTED_PREFIX = "mcp-param-";

  private static final Set<String> SENSITIVE_NAMES =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  // Any name containing one of these (ignoring case) is sensitive: "auth" covers Authorization,
  // X-Auth-*, Proxy-Authenticate and the like; "cookie" covers Cookie2 and Set-Cookie2;
  // "signature" the request-signing headers (X-Hub-Signature-256, X-Amz-Signature); "csrf" and
  // "xsrf" anti-forgery tokens; "pass" passwords, passphrases and passcodes.
  private static final List<String> SENSITIVE_PARTS =
      List.of(
          "token",
          "secret",
          "key",
          "pass",
          "session",
          "credential",
          "auth",
          "cookie",
          "signature",
          "csrf",
          "xsrf",
          "jwt",
          "assertion");

  /** The longest header name accepted (RFC 9110 sets none; servers commonly cap a line at 8k). */
  static final int MAX_NAME_LENGTH = 256;

  // The protected-name lookup runs for every header of every layer that enters the runner and of
  // every provider's output on every request: HeaderChainBenchmark shows these tables pay (no
  // lower-cased copy, only names of equal length compared, most names rejected by their first
  // letter).

  /** {@code PROTECTED_BY_LENGTH[n]} holds the protected names of length {@code n}. */
  private static final String[][] PROTECTED_BY_LENGTH = byLength(PROTECTED);

  /** Bit {@code c - 'a'} is set when a protected name (or the prefix) starts with letter c. */
  private static final int PROTECTED_FIRST_LETTERS = firstLetters(PROTECTED, PROTECTED_PREFIX);

  static boolean isProtected(String name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    int first = name.charAt(0) | 0x20;
    if (first < 'a' || first > 'z' || (PROTECTED_FIRST_LETTERS & (1 << (first - 'a'))) == 0) {
      return false;
    }
    if (length < PROTECTED_BY_LENGTH.length) {
      for (String protectedName : PROTECTED_BY_LENGTH[length]) {
        if (asciiRegionEqualsIgnoreCase(name, protectedName, length)) {
          return true;
        }
      }
    }
    return length >= PROTECTED_PREFIX.length()
        && asciiRegionEqualsIgnoreCase(name, PROTECTED_PREFIX, PROTECTED_PREFIX.length());
  }

  static boolean isSensitive(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (SENSITIVE_NAMES.contains(lower)) {
      return true;
    }
    for (String part : SENSITIVE_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the first {@code length} characters of {@code a} and {@code b} are equal
   * ignoring the case of ASCII letters (RFC 9110 field names are ASCII and case-insensitive). Both
   * strings must be at least {@code length} long. Faster than {@link String#equalsIgnoreCase},
   * which folds through the Unicode tables.
   */
  static boolean asciiRegionEqualsIgnoreCase(String a, String b, int length) {
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        int lower = x | 0x20;
        if (lower != (y | 0x20) || lower < 'a' || lower > 'z') {
          return false;
        }
      }
    }
    return true;
  }

  private static int firstLetters(Set<String> names, String prefix) {
    int mask = 1 << (prefix.charAt(0) - 'a');
    for (String name : names) {
      mask |= 1 << (name.charAt(0) - 'a');
    }
    return mask;
  }

  private static String[][] byLength(Set<String> names) {
    int max = 0;
    for (String name : names) {
      max = Math.max(max, name.length());
    }
    String[][] result = new String[max + 1][];
    for (int length = 0; length <= max; length++) {
      List<String> ofLength = new ArrayList<>();
      for (String name : names) {
        if (name.length() == length) {
          ofLength.add(name);
        }
      }
      result[length] = ofLength.toArray(new String[0]);
    }
    return result;
  }
}
