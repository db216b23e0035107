package io.github.mcprunner.headers.oauth.internal;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.net.URISyntaxException;
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

  /**
   * Returns a URL (a {@link URI}, or text that should be one) made safe as {@link #of} does, with
   * the values of its query, its user info and its fragment redacted as {@link
   * McpServerRef#printable(URI)} does: a server's URL, a resource or a token endpoint may carry a
   * key in its query. Text that is no URI is printed up to its first {@code ?} or {@code #}.
   */
  public static String url(@Nullable Object url) {
    if (url == null) {
      return "null";
    }
    URI uri;
    if (url instanceof URI given) {
      uri = given;
    } else {
      String text = url.toString();
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        int cut = indexOfAny(text, "?#@");
        return of(cut < 0 ? text : text.substring(0, cut) + McpHeaders.REDACTED);
      }
    }
    return of(McpServerRef.printable(uri));
  }

  private static int indexOfAny(String text, String characters) {
    for (int i = 0; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
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
