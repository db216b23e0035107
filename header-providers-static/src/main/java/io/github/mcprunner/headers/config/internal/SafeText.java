package io.github.mcprunner.headers.config.internal;

import java.util.Locale;

/** Makes names from configuration safe to print in messages. Not public API. */
public final class SafeText {
  private static final int MAX_CHARS = 200;

  private SafeText() {}

  /**
   * Returns {@code text} in single quotes, with characters outside printable ASCII (and the quote
   * itself) escaped as {@code \\uXXXX} and the text cut after 200 characters. Only for names (keys,
   * tenant ids, variable names, paths), never for values.
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8).append('\'');
    int limit = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\'') {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    if (text.length() > limit) {
      out.append("...");
    }
    return out.append('\'').toString();
  }
}
