package io.github.mcprunner.testkit;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The tools of {@link EmbeddedMcpServer.Builder#defaultTools()}. */
final class DefaultTools {

  /** The largest output {@code big_text} produces. */
  static final int MAX_BIG_TEXT_BYTES = 64 * 1024 * 1024;

  /** The largest step count {@code progress} accepts. */
  static final int MAX_PROGRESS_STEPS = 1000;

  private static final String NO_ARGS = "{\"type\":\"object\",\"properties\":{}}";

  /** The repeated unit of unicode {@code big_text}: 1 + 2 + 3 + 4 UTF-8 bytes. */
  private static final String[] UNICODE_UNIT = {"a", "é", "€", "😀"};

  private DefaultTools() {}

  static List<ToolSpec> create(ServerState state, McpJsonMapper json) {
    List<ToolSpec> tools = new ArrayList<>();
    tools.add(
        new ToolSpec(
            "whoami",
            "Returns the caller's Authorization, X-User-Id and X-Tenant-Id headers and the MCP"
                + " session id, as JSON.",
            NO_ARGS,
            (args, request) -> {
              Map<String, @Nullable Object> who = new LinkedHashMap<>();
              who.put("authorization", request.header("Authorization").orElse(null));
              who.put("userId", request.header("X-User-Id").orElse(null));
              who.put("tenantId", request.header("X-Tenant-Id").orElse(null));
              who.put("sessionId", request.sessionId().orElse(null));
              return write(json, who);
            }));
    tools.add(
        new ToolSpec(
            "echo_headers",
            "Returns every header of the HTTP request that carried the call, as a JSON object with"
                + " lower-case names; several values of one name are joined with \", \".",
            NO_ARGS,
            (args, request) -> {
              Map<String, String> headers = new LinkedHashMap<>();
              request
                  .headers()
                  .forEach(
                      (name, values) ->
                          headers.merge(
                              name.toLowerCase(Locale.ROOT),
                              String.join(", ", values),
                              (a, b) -> a + ", " + b));
              return write(json, headers);
            }));
    tools.add(
        new ToolSpec(
            "add",
            "Adds two numbers.",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},"
                + "\"b\":{\"type\":\"number\"}},\"required\":[\"a\",\"b\"]}",
            (args, request) -> add(number(args, "a"), number(args, "b"))));
    tools.add(
        new ToolSpec(
            "list_tickets",
            "Lists the support tickets of the caller's tenant (header X-Tenant-Id), optionally"
                + " only those with a status.",
            "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\","
                + "\"enum\":[\"open\",\"closed\"]}}}",
            (args, request) -> {
              String tenant =
                  request
                      .header("X-Tenant-Id")
                      .orElseThrow(
                          () -> new IllegalArgumentException("header X-Tenant-Id is missing"));
              Object status = args.get("status");
              List<Map<String, String>> tickets = new ArrayList<>();
              for (Map<String, String> ticket : ticketsOf(tenant)) {
                if (status == null || status.equals(ticket.get("status"))) {
                  tickets.add(ticket);
                }
              }
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("tenant", tenant);
              answer.put("tickets", tickets);
              return write(json, answer);
            }));
    tools.add(
        new ToolSpec(
            "big_text",
            "Returns a text of exactly 'bytes' UTF-8 bytes; with 'unicode', made of multi-byte"
                + " characters.",
            "{\"type\":\"object\",\"properties\":{\"bytes\":{\"type\":\"integer\",\"minimum\":0,"
                + "\"maximum\":"
                + MAX_BIG_TEXT_BYTES
                + "},\"unicode\":{\"type\":\"boolean\"}},\"required\":[\"bytes\"]}",
            (args, request) -> {
              long bytes = number(args, "bytes").longValue();
              if (bytes < 0 || bytes > MAX_BIG_TEXT_BYTES) {
                throw new IllegalArgumentException(
                    "bytes must be between 0 and " + MAX_BIG_TEXT_BYTES);
              }
              return bigText((int) bytes, Boolean.TRUE.equals(args.get("unicode")));
            }));
    tools.add(
        new ToolSpec(
            "progress",
            "Sends 'steps' log notifications (and progress notifications when the client asked"
                + " for progress) during the call, then answers.",
            "{\"type\":\"object\",\"properties\":{\"steps\":{\"type\":\"integer\",\"minimum\":0,"
                + "\"maximum\":"
                + MAX_PROGRESS_STEPS
                + "}},\"required\":[\"steps\"]}",
            (args, request) -> {
              int steps = number(args, "steps").intValue();
              if (steps < 0 || steps > MAX_PROGRESS_STEPS) {
                throw new IllegalArgumentException(
                    "steps must be between 0 and " + MAX_PROGRESS_STEPS);
              }
              for (int step = 1; step <= steps; step++) {
                request.log("step " + step + " of " + steps);
                request.progress(step, steps, "step " + step + " of " + steps);
              }
              return "completed " + steps + " steps";
            }));
    tools.add(
        new ToolSpec(
            "block",
            "Waits until the test releases it (at most "
                + ServerState.MAX_BLOCK.toSeconds()
                + " s), then answers.",
            NO_ARGS,
            (args, request) ->
                switch (state.block()) {
                  case RELEASED -> "released";
                  case STOPPED -> "server stopped";
                  case TIMED_OUT ->
                      throw new IllegalStateException(
                          "block was not released within "
                              + ServerState.MAX_BLOCK.toSeconds()
                              + " s");
                }));
    tools.add(
        new ToolSpec(
            "confirm",
            "Asks the user (elicitation, form mode) to confirm 'question' (default: 'Proceed for"
                + " <X-User-Id>?') with a form {confirmed: boolean, note: string, default"
                + " 'none'}; answers JSON {userId, action, content}.",
            "{\"type\":\"object\",\"properties\":{\"question\":{\"type\":\"string\"}}}",
            (args, request) -> {
              String userId = request.header("X-User-Id").orElse(null);
              Object question = args.get("question");
              ToolRequest.Elicited answer =
                  request.elicitForm(
                      question instanceof String
                          ? (String) question
                          : "Proceed for " + userId + "?",
                      CONFIRM_FORM);
              return write(json, elicited(userId, answer));
            }));
    tools.add(
        new ToolSpec(
            "open_url",
            "Asks the user (elicitation, URL mode) to open 'url' (elicitation id 'elicitationId',"
                + " default random); answers JSON {userId, action, content}.",
            "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"},"
                + "\"elicitationId\":{\"type\":\"string\"}},\"required\":[\"url\"]}",
            (args, request) -> {
              String userId = request.header("X-User-Id").orElse(null);
              Object url = args.get("url");
              if (!(url instanceof String)) {
                throw new IllegalArgumentException("argument 'url' must be a string");
              }
              Object id = args.get("elicitationId");
              ToolRequest.Elicited answer =
                  request.elicitUrl(
                      "Open this page to grant access for " + userId,
                      (String) url,
                      id instanceof String ? (String) id : java.util.UUID.randomUUID().toString());
              return write(json, elicited(userId, answer));
            }));
    return List.copyOf(tools);
  }

  /** The form of the {@code confirm} tool. */
  static final String CONFIRM_FORM =
      "{\"type\":\"object\",\"properties\":{\"confirmed\":{\"type\":\"boolean\"},"
          + "\"note\":{\"type\":\"string\",\"default\":\"none\"}},\"required\":[\"confirmed\"]}";

  private static Map<String, @Nullable Object> elicited(
      @Nullable String userId, ToolRequest.Elicited answer) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("userId", userId);
    out.put("action", answer.action());
    out.put("content", answer.content());
    return out;
  }

  /** Returns the text {@code big_text} answers for {@code bytes} and {@code unicode}. */
  static String bigText(int bytes, boolean unicode) {
    StringBuilder text = new StringBuilder(bytes);
    int left = bytes;
    if (unicode) {
      int i = 0;
      while (true) {
        String unit = UNICODE_UNIT[i % UNICODE_UNIT.length];
        int size = i % UNICODE_UNIT.length + 1;
        if (size > left) {
          break;
        }
        text.append(unit);
        left -= size;
        i++;
      }
    }
    for (int i = 0; i < left; i++) {
      text.append((char) ('a' + (i % 26)));
    }
    return text.toString();
  }

  private static List<Map<String, String>> ticketsOf(String tenant) {
    String prefix = tenant.toUpperCase(Locale.ROOT);
    return List.of(
        ticket(prefix + "-1", "Cannot log in", "open"),
        ticket(prefix + "-2", "Invoice is wrong", "open"),
        ticket(prefix + "-3", "Password reset", "closed"));
  }

  private static Map<String, String> ticket(String id, String title, String status) {
    Map<String, String> ticket = new LinkedHashMap<>();
    ticket.put("id", id);
    ticket.put("title", title);
    ticket.put("status", status);
    return ticket;
  }

  private static String add(Number a, Number b) {
    if (isIntegral(a) && isIntegral(b)) {
      return Long.toString(Math.addExact(a.longValue(), b.longValue()));
    }
    double sum = a.doubleValue() + b.doubleValue();
    return sum == Math.rint(sum) && !Double.isInfinite(sum)
        ? Long.toString((long) sum)
        : Double.toString(sum);
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  private static Number number(Map<String, Object> args, String name) {
    if (args.get(name) instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("argument '" + name + "' must be a number");
  }

  private static String write(McpJsonMapper json, Object value) throws IOException {
    return json.writeValueAsString(value);
  }
}
