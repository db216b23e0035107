package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses the text of a Java properties file the way {@link
 * java.util.Properties#load(java.io.Reader)} does (comments, continuation lines, {@code =}/{@code
 * :}/blank separators, escapes), but keeps every entry with the number of the line it starts on, so
 * that errors can name the line. Not public API.
 */
public final class PropertiesParser {

  /**
   * One {@code key=value} entry. {@link #toString()} leaves the value out.
   *
   * @param key the unescaped key
   * @param value the unescaped value
   * @param line the 1-based number of the line the entry starts on
   */
  public record Entry(String key, String value, int line) {
    @Override
    public String toString() {
      return "Entry{key=" + SafeText.quote(key) + ", line=" + line + "}";
    }
  }

  private final String text;
  // Positions of text whose '\n' was a CR LF pair: Properties looks past the CR for the end.
  private final BitSet crlf = new BitSet();
  private final String source;
  private int pos;
  private int line = 1;

  private PropertiesParser(String text, String source) {
    // Properties treats CR LF, CR and LF alike as line ends.
    StringBuilder normalized = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        crlf.set(normalized.length());
        i++;
      }
      normalized.append(c == '\r' ? '\n' : c);
    }
    this.text = normalized.toString();
    this.source = source;
  }

  /**
   * Returns the entries of {@code text} in file order, duplicates included.
   *
   * @param source names the text in errors, e.g. {@code "Header configuration file 'h.properties'"}
   * @throws HeaderConfigException on a malformed {@code \\uXXXX} escape, naming source and line
   */
  public static List<Entry> parse(String text, String source) {
    return new PropertiesParser(text, source).entries();
  }

  private List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    while (true) {
      logical.setLength(0);
      int startLine = readLogicalLine(logical);
      if (startLine < 0) {
        return entries;
      }
      entries.add(split(logical, startLine));
    }
  }

  /** Reads the next logical line into {@code out}; returns its first line number, or -1 at end. */
  private int readLogicalLine(StringBuilder out) {
    boolean skipWhiteSpace = true;
    boolean appendedLineBegin = false;
    boolean precedingBackslash = false;
    int startLine = -1;
    while (true) {
      if (pos >= text.length()) {
        if (out.length() == 0) {
          return -1;
        }
        dropContinuationBackslash(out, precedingBackslash);
        return startLine;
      }
      char c = text.charAt(pos++);
      if (skipWhiteSpace) {
        if (c == ' ' || c == '\t' || c == '\f') {
          continue;
        }
        if (!appendedLineBegin && c == '\n') {
          line++;
          continue;
        }
        skipWhiteSpace = false;
        appendedLineBegin = false;
      }
      if (out.length() == 0 && (c == '#' || c == '!')) {
        int end = text.indexOf('\n', pos);
        if (end < 0) {
          pos = text.length();
          return -1;
        }
        pos = end + 1;
        line++;
        skipWhiteSpace = true;
        continue;
      }
      if (c != '\n') {
        if (startLine < 0) {
          startLine = line;
        }
        out.append(c);
        precedingBackslash = c == '\\' && !precedingBackslash;
        continue;
      }
      line++;
      if (out.length() == 0) {
        skipWhiteSpace = true;
        continue;
      }
      if (pos >= text.length() && !crlf.get(pos - 1)) {
        dropContinuationBackslash(out, precedingBackslash);
        return startLine;
      }
      if (!precedingBackslash) {
        return startLine;
      }
      // An odd backslash at the end continues the line; the next line's indent is dropped.
      out.setLength(out.length() - 1);
      skipWhiteSpace = true;
      appendedLineBegin = true;
      precedingBackslash = false;
    }
  }

  private static void dropContinuationBackslash(StringBuilder out, boolean precedingBackslash) {
    if (precedingBackslash) {
      out.setLength(out.length() - 1);
    }
  }

  private Entry split(CharSequence logical, int startLine) {
    int limit = logical.length();
    int keyLen = 0;
    int valueStart = limit;
    boolean hasSeparator = false;
    boolean precedingBackslash = false;
    while (keyLen < limit) {
      char c = logical.charAt(keyLen);
      if ((c == '=' || c == ':') && !precedingBackslash) {
        valueStart = keyLen + 1;
        hasSeparator = true;
        break;
      }
      if ((c == ' ' || c == '\t' || c == '\f') && !precedingBackslash) {
        valueStart = keyLen + 1;
        break;
      }
      precedingBackslash = c == '\\' && !precedingBackslash;
      keyLen++;
    }
    while (valueStart < limit) {
      char c = logical.charAt(valueStart);
      if (c != ' ' && c != '\t' && c != '\f') {
        if (!hasSeparator && (c == '=' || c == ':')) {
          hasSeparator = true;
        } else {
          break;
        }
      }
      valueStart++;
    }
    String key = unescape(logical, 0, keyLen, startLine, null);
    String value = unescape(logical, valueStart, limit, startLine, key);
    return new Entry(key, value, startLine);
  }

  private String unescape(CharSequence in, int from, int to, int startLine, @Nullable String key) {
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      char c = in.charAt(i++);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= to) {
        // Only reachable for a key cut at the end of the line; Properties keeps nothing here.
        break;
      }
      c = in.charAt(i++);
      switch (c) {
        case 'u':
          if (i > to - 4) {
            throw malformedEscape(startLine, key);
          }
          int value = 0;
          for (int k = 0; k < 4; k++) {
            int digit = hexDigit(in.charAt(i++));
            if (digit < 0) {
              throw malformedEscape(startLine, key);
            }
            value = (value << 4) | digit;
          }
          out.append((char) value);
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'f':
          out.append('\f');
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
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

  private HeaderConfigException malformedEscape(int startLine, @Nullable String key) {
    String where = key == null ? "in its key" : "in the value of key " + SafeText.quote(key);
    return new HeaderConfigException(
        source + " line " + startLine + ": malformed \\uXXXX escape " + where);
  }
}
