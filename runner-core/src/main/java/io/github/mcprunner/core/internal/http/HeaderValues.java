package io.github.mcprunner.core.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The value encoding of MCP 2026-07-28 for {@code Mcp-Name} and {@code Mcp-Param-{Name}}: a value
 * that is not plain header-safe ASCII (visible characters, space and tab, no leading or trailing
 * white space), or that looks like the sentinel itself, is sent as {@code =?base64?…?=}: the Base64
 * of its UTF-8 bytes. Not public API.
 */
public final class HeaderValues {
  static final String PREFIX = "=?base64?";
  static final String SUFFIX = "?=";

  private HeaderValues() {}

  /** Returns {@code value} as it goes into the header. */
  public static String encode(String value) {
    if (isPlain(value) && !(value.startsWith(PREFIX) && value.endsWith(SUFFIX))) {
      return value;
    }
    return PREFIX
        + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
        + SUFFIX;
  }

  private static boolean isPlain(String value) {
    if (value.isEmpty()) {
      return true;
    }
    char first = value.charAt(0);
    char last = value.charAt(value.length() - 1);
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c == '\t' || (c >= 0x20 && c <= 0x7E))) {
        return false;
      }
    }
    return true;
  }
}
