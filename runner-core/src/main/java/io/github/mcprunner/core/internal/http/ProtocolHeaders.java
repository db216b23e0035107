package io.github.mcprunner.core.internal.http;

import io.modelcontextprotocol.spec.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Streamable HTTP transport's own headers, built in this one place for every request it sends:
 * the POST of a message, the GET of an event stream (the standalone stream, or the resumption of an
 * answer stream), the DELETE of the session. No layer of the precedence chain may set them (they
 * are protected names). Not public API.
 */
final class ProtocolHeaders {
  static final String EVENT_STREAM = "text/event-stream";
  static final String JSON = "application/json";

  private ProtocolHeaders() {}

  /** Returns the headers of a POSTed message. */
  static Map<String, String> post(String protocolVersion, @Nullable String session) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HttpHeaders.ACCEPT, JSON + ", " + EVENT_STREAM);
    headers.put(HttpHeaders.CACHE_CONTROL, "no-cache");
    headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
    if (session != null) {
      headers.put(HttpHeaders.MCP_SESSION_ID, session);
    }
    return headers;
  }

  /** Returns the headers of a GET event stream, resumed after {@code lastEventId} when given. */
  static Map<String, String> eventStream(
      String protocolVersion, @Nullable String session, @Nullable String lastEventId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HttpHeaders.ACCEPT, EVENT_STREAM);
    headers.put(HttpHeaders.CACHE_CONTROL, "no-cache");
    headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
    if (session != null) {
      headers.put(HttpHeaders.MCP_SESSION_ID, session);
    }
    if (lastEventId != null) {
      headers.put(HttpHeaders.LAST_EVENT_ID, lastEventId);
    }
    return headers;
  }

  /** Returns the headers of the DELETE that ends {@code session}. */
  static Map<String, String> delete(String protocolVersion, String session) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HttpHeaders.MCP_SESSION_ID, session);
    headers.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
    return headers;
  }
}
