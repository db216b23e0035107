package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a header list as environment variables and system properties hold it, the way
 * OpenTelemetry's {@code OTEL_EXPORTER_OTLP_HEADERS} does: {@code Name=value,Name2=value2}, names
 * and values trimmed, values percent-decoded (so {@code %2C} is a comma and {@code %25} a percent
 * sign), empty items ignored. Not public API.
 */
public final class HeaderListParser {

  /**
   * One item of the list. {@link #toString()} leaves the value out.
   *
   * @param name the header name
   * @param value the decoded value, references not yet resolved
   * @param index the 1-based position of the item in the list
   */
  public record Item(String name, String value, int index) {
    @Override
    public String toString() {
      return "Item{name=" + SafeText.quote(name) + ", index=" + index + "}";
    }
  }

  private HeaderListParser() {}

  /**
   * Returns the items of {@code list}.
   *
   * @param where names the list in errors, e.g. {@code "environment variable 'MCPRUNNER_HEADERS'"}
   * @throws HeaderConfigException naming {@code where} and the item's position, never its value
   */
  public static List<Item> parse(String list, String where) {
    List<Item> items = new ArrayList<>();
    String[] parts = list.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].strip();
      if (part.isEmpty()) {
        continue;
      }
      int index = i + 1;
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw new HeaderConfigException(
            where + ", item " + index + ": expected Name=value, separated by commas");
      }
      String name = part.substring(0, equals).strip();
      items.add(
          new Item(name, percentDecode(part.substring(equals + 1).strip(), where, index), index));
    }
    return items;
  }

  /** Returns {@code text} with {@code %XX} sequences decoded as UTF-8 bytes; {@code +} stays. */
  static String percentDecode(String text, String where, int index) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        flush(bytes, out);
        out.append(c);
        i++;
        continue;
      }
      int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
      int low = high >= 0 ? hexDigit(text.charAt(i + 2)) : -1;
      if (low < 0) {
        throw new HeaderConfigException(
            where
                + ", item "
                + index
                + ": '%' at index "
                + i
                + " of the value is not followed by two hex digits (write %25 for a '%')");
      }
      bytes.write((high << 4) | low);
      i += 3;
    }
    flush(bytes, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
