package io.github.mcprunner.core.internal.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code text/event-stream} body as the HTML standard's event-stream interpretation does:
 * lines end with CR, LF or CRLF; {@code :} starts a comment; {@code data} lines are joined with LF;
 * {@code id} sets the last event id (ignored when it holds NUL) and persists across events; {@code
 * retry} with ASCII digits only sets the reconnection time at once; a blank line dispatches the
 * event when it had a {@code data}, {@code event} or {@code id} field, also with empty data (a
 * priming event: the standard would not dispatch an id-only event, but its id counts all the same,
 * so the listener sees it); an event not ended by a blank line before the end of the stream is
 * dropped. Not public API.
 */
public final class SseReader {

  /** Receives what the stream carries. */
  public interface Listener {
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

  /** Reads {@code body} until its end or until the listener stops; does not close it. */
  public static void read(InputStream body, Listener listener) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
    StringBuilder data = new StringBuilder();
    boolean hasData = false;
    boolean hasFields = false;
    String type = "";
    String lastId = null;
    boolean first = true;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
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
      if (colon >= 0) {
        int start = colon + 1;
        if (start < line.length() && line.charAt(start) == ' ') {
          start++;
        }
        value = line.substring(start);
      }
      switch (field) {
        case "data":
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
}
