package io.github.mcprunner.headers.oauth.internal;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from a remote party (metadata, a challenge, a registration answer) safe to
 * put in a message or a log line: control, format (such as bidirectional overrides) and line or
 * paragraph separator characters become {@code ?}, and the text is cut to {@link #MAX_LENGTH}
 * characters, so that a server cannot forge log lines or flood them. Not public API.
 */
public final class RemoteText {
  /** The most characters of one remote value kept. */
  public static final int MAX_LENGTH = 200;

  /** The most characters of a whole message kept. */
  static final int MAX_MESSAGE_LENGTH = 2000;

  private RemoteText() {}

  /** Returns {@code value} (its {@code toString()}) made safe, or {@code "null"}. */
  public static String of(@Nullable Object value) {
    return clean(String.valueOf(value), MAX_LENGTH);
  }

  /** Returns a whole message with unsafe characters replaced, cut to a generous bound. */
  static String message(String message) {
    return clean(message, MAX_MESSAGE_LENGTH);
  }

  private static String clean(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max + 3));
    int i = 0;
    while (i < text.length() && out.length() < max) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      int type = Character.getType(c);
      boolean unsafe =
          Character.isISOControl(c)
              || type == Character.FORMAT
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || type == Character.SURROGATE
              || type == Character.UNASSIGNED
              || type == Character.PRIVATE_USE;
      if (unsafe) {
        out.append('?');
      } else {
        out.appendCodePoint(c);
      }
    }
    if (i < text.length()) {
      out.append("...");
    }
    return out.toString();
  }
}
