package io.github.mcprunner.core.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code text/event-stream} body as the HTML standard's event-stream interpretation does:
 * lines end with CR, LF or CRLF; {@code :} starts a comment; {@code data} lines are joined with LF;
 * {@code id} sets the last event id (ignored when it holds NUL) and persists across events; {@code
 * retry} with ASCII digits only sets the reconnection time at once; a blank line dispatches the
 * event when it had a {@code data}, {@code event} or {@code id} field, also with empty data (a
 * priming event: the standard would not dispatch an id-only event, but its id counts all the same,
 * so the listener sees it); an event not ended by a blank line before the end of the stream is
 * dropped. A line, or the data of one event, longer than the limit ({@value
 * StreamableHttpClientTransport#MAX_MESSAGE_BYTES} bytes unless told) stops the reading with a
 * {@link ResponseTooLargeException}, whatever the server sends. Not public API.
 */
final class SseReader {

  /** Receives what the stream carries. */
  interface Listener {
    /**
     * One dispatched event.
     *
     * @param id the last event id in effect (of this event or an earlier one), null if none
     * @param type the event type, {@code message} when the event named none
     * @param data the data, empty for an event without data lines or with empty ones
     * @return whether to read on; false stops reading
     */
    boolean onEvent(@Nullable String id, String type, String data);

    /** The server set the reconnection time. */
    void onRetry(Duration retry);
  }

  private SseReader() {}

  /**
   * Reads {@code body} until its end or until the listener stops; does not close it.
   *
   * @throws ResponseTooLargeException when a line or an event's data exceeds {@value
   *     StreamableHttpClientTransport#MAX_MESSAGE_BYTES} bytes
   */
  static void read(InputStream body, Listener listener) throws IOException {
    read(body, listener, StreamableHttpClientTransport.MAX_MESSAGE_BYTES);
  }

  /** Reads as {@link #read(InputStream, Listener)} does, with {@code maxBytes} as the limit. */
  static void read(InputStream body, Listener listener, int maxBytes) throws IOException {
    Lines lines = new Lines(body, maxBytes);
    StringBuilder data = new StringBuilder();
    long dataBytes = 0;
    boolean hasData = false;
    boolean hasFields = false;
    String type = "";
    String lastId = null;
    boolean first = true;
    for (String line = lines.next(); line != null; line = lines.next()) {
      if (first) {
        first = false;
        if (line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
      }
      if (line.isEmpty()) {
        if (hasFields) {
          boolean more =
              listener.onEvent(lastId, type.isEmpty() ? "message" : type, data.toString());
          if (!more) {
            return;
          }
        }
        data.setLength(0);
        dataBytes = 0;
        hasData = false;
        hasFields = false;
        type = "";
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = "";
      // The field name and separator are ASCII when the field is a known one.
      int start = line.length();
      if (colon >= 0) {
        start = colon + 1;
        if (start < line.length() && line.charAt(start) == ' ') {
          start++;
        }
        value = line.substring(start);
      }
      switch (field) {
        case "data":
          dataBytes += lines.lastLength() - start + (hasData ? 1 : 0);
          if (dataBytes > maxBytes) {
            throw new ResponseTooLargeException("an event of the event stream", maxBytes);
          }
          if (hasData) {
            data.append('\n');
          }
          data.append(value);
          hasData = true;
          hasFields = true;
          break;
        case "event":
          type = value;
          hasFields = true;
          break;
        case "id":
          if (value.indexOf('\0') < 0) {
            lastId = value.isEmpty() ? null : value;
          }
          hasFields = true;
          break;
        case "retry":
          if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
              listener.onRetry(Duration.ofMillis(Long.parseLong(value)));
            } catch (NumberFormatException tooLong) {
              // Not a usable number of milliseconds: ignored, as a malformed field.
            }
          }
          break;
        default:
          // Unknown fields are ignored.
          break;
      }
    }
  }

  /**
   * The lines of a byte stream, split at CR, LF or CRLF before decoding (neither byte occurs inside
   * a multi-byte UTF-8 sequence), each at most {@code maxBytes} long.
   */
  private static final class Lines {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private boolean skipLf;

    Lines(InputStream in, int maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    /** The length in bytes of the line last returned. */
    int lastLength() {
      return length;
    }

    /** Returns the next line, or null at the end of the stream (a last unterminated line too). */
    @Nullable String next() throws IOException {
      length = 0;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            // An unterminated last line belongs to an event that is dropped anyway.
            return null;
          }
        }
        byte b = buffer[position++];
        if (skipLf) {
          skipLf = false;
          if (b == '\n') {
            continue;
          }
        }
        if (b == '\n' || b == '\r') {
          skipLf = b == '\r';
          return new String(line, 0, length, StandardCharsets.UTF_8);
        }
        if (length == maxBytes) {
          throw new ResponseTooLargeException("a line of the event stream", maxBytes);
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, (int) Math.min((long) maxBytes, 2L * line.length));
        }
        line[length++] = b;
      }
    }
  }
}
