package io.github.mcprunner.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Prints the demo's tables: every request the server saw, and every run's tool results. */
final class DemoReport {
  private static final int MAX_RESULT = 110;

  private final PrintStream out;
  private final Map<String, String> sessionLabels = new HashMap<>();

  DemoReport(PrintStream out) {
    this.out = out;
  }

  /**
   * Prints one row per request, in arrival order: its number, the run it belongs to (by its run
   * tag, as the server received it), that run's tenant and transport, the request, its status and
   * session, and the value the server saw for each of {@code headerNames}.
   */
  void requests(List<SeenRequest> requests, Map<String, DemoRun> runs, List<String> headerNames) {
    List<String> head =
        new ArrayList<>(List.of("#", "run", "tenant", "transport", "request", "status", "session"));
    head.addAll(headerNames);
    List<String[]> rows = new ArrayList<>();
    rows.add(head.toArray(String[]::new));
    for (SeenRequest request : requests) {
      List<String> nonces = request.values(DemoRun.NONCE_HEADER);
      DemoRun run = nonces.size() == 1 ? runs.get(nonces.get(0)) : null;
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(request.arrival()));
      row.add(run != null ? run.label() : nonces.isEmpty() ? "-" : "?");
      row.add(run != null ? run.tenant().tenantId() : "-");
      row.add(run != null ? run.transport() : "-");
      row.add(request.describe());
      row.add(request.status() == 0 ? "…" : Integer.toString(request.status()));
      row.add(session(request.sessionId()));
      for (String name : headerNames) {
        List<String> values = request.values(name);
        List<String> shown = new ArrayList<>();
        values.forEach(value -> shown.add(Redaction.show(name, value)));
        row.add(shown.isEmpty() ? "-" : String.join(" + ", shown));
      }
      rows.add(row.toArray(String[]::new));
    }
    print(rows);
  }

  /**
   * Returns a line naming each session of {@code requests} and the users whose runs used it, e.g.
   * {@code Sessions: s1 acme/alice (seq-1, par-1), s2 ...}, and how many initialize requests the
   * server saw. It says that a user's later runs reused the session of the first only when the
   * requests show it: one session per user, each serving one user, every run in one, and one
   * initialize per user, every one answered 200.
   */
  /**
   * Says which MCP protocol the server got: MCP 2026-07-28 (stateless) when the tool lists and
   * calls carried that {@code MCP-Protocol-Version}, else the session protocol (with the version
   * used).
   */
  String protocolSummary(List<SeenRequest> requests) {
    Set<String> versions = new java.util.TreeSet<>();
    for (SeenRequest request : requests) {
      if ("tools/list".equals(request.mcpMethod()) || "tools/call".equals(request.mcpMethod())) {
        versions.addAll(request.values("MCP-Protocol-Version"));
      }
    }
    if (versions.isEmpty()) {
      return "Protocol: no tools/list or tools/call reached the server";
    }
    if (versions.equals(Set.of("2026-07-28"))) {
      return "Protocol: MCP 2026-07-28 (stateless: no initialize, no session,"
          + " one POST per request)";
    }
    return "Protocol: the session protocol (MCP " + String.join(", ", versions) + ")";
  }

  String sessionSummary(List<SeenRequest> requests, Map<String, DemoRun> runs) {
    Map<String, Set<String>> runsOfSession = new LinkedHashMap<>();
    Map<String, Set<String>> usersOfSession = new LinkedHashMap<>();
    Set<String> runsInSessions = new HashSet<>();
    int initializes = 0;
    int initialized = 0;
    for (SeenRequest request : requests) {
      List<String> nonces = request.values(DemoRun.NONCE_HEADER);
      DemoRun run = nonces.size() == 1 ? runs.get(nonces.get(0)) : null;
      if ("initialize".equals(request.mcpMethod())) {
        initializes++;
        if (request.status() == 200) {
          initialized++;
        }
      }
      if (request.sessionId() == null || run == null) {
        continue;
      }
      String label = session(request.sessionId());
      runsOfSession.computeIfAbsent(label, k -> new LinkedHashSet<>()).add(run.label());
      usersOfSession.computeIfAbsent(label, k -> new LinkedHashSet<>()).add(user(run));
      runsInSessions.add(run.nonce());
    }
    List<String> parts = new ArrayList<>();
    runsOfSession.forEach(
        (label, labels) ->
            parts.add(
                label
                    + " "
                    + String.join("+", usersOfSession.get(label))
                    + " ("
                    + String.join(", ", labels)
                    + ")"));
    Set<String> users = new HashSet<>();
    runs.values().forEach(run -> users.add(user(run)));
    boolean reused =
        !runsOfSession.isEmpty()
            && runsOfSession.size() == users.size()
            && usersOfSession.values().stream().allMatch(u -> u.size() == 1)
            && runsInSessions.size() == runs.size()
            && initializes == users.size()
            && initialized == initializes
            && runs.size() > users.size();
    return "  Sessions: "
        + (parts.isEmpty()
            ? "none seen (no request carried an Mcp-Session-Id header)"
            : String.join("; ", parts))
        + ". "
        + initializes
        + " initialize request"
        + (initializes == 1 ? "" : "s")
        + (initialized == initializes ? "" : " (" + initialized + " answered 200)")
        + " for "
        + runs.size()
        + " run"
        + (runs.size() == 1 ? "" : "s")
        + (reused ? ": a user's later runs reused the session its first run opened." : ".");
  }

  private static String user(DemoRun run) {
    return run.tenant().tenantId() + "/" + run.tenant().userId();
  }

  /**
   * Prints each run's tool results (or its error), one line per tool call, with every secret in
   * them redacted ({@link Redaction#scrub}): {@code secrets} wherever they appear, and the value of
   * every sensitive name, since a server may echo what it received.
   */
  void results(
      List<DemoRun> runs,
      Map<String, List<String[]>> toolResults,
      Map<String, String> errors,
      Collection<String> secrets) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"run", "tenant", "user", "transport", "tool", "result"});
    for (DemoRun run : runs) {
      String error = errors.get(run.nonce());
      List<String[]> results = toolResults.getOrDefault(run.nonce(), List.of());
      if (error != null) {
        rows.add(row(run, "(failed)", Redaction.scrub(error, secrets)));
      } else if (results.isEmpty()) {
        rows.add(row(run, "(none)", "-"));
      }
      boolean first = error == null;
      for (String[] result : results) {
        String shown = Redaction.scrub(result[1], secrets);
        rows.add(
            first
                ? row(run, result[0], shown)
                : new String[] {"", "", "", "", result[0], clip(shown)});
        first = false;
      }
    }
    print(rows);
  }

  private String[] row(DemoRun run, String tool, String result) {
    return new String[] {
      run.label(),
      run.tenant().tenantId(),
      run.tenant().userId(),
      run.transport(),
      tool,
      clip(result)
    };
  }

  private String session(@Nullable String sessionId) {
    if (sessionId == null) {
      return "-";
    }
    // Session ids are credentials of a kind: the table numbers them instead of printing them.
    return sessionLabels.computeIfAbsent(sessionId, id -> "s" + (sessionLabels.size() + 1));
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= MAX_RESULT ? oneLine : oneLine.substring(0, MAX_RESULT - 1) + "…";
  }

  private void print(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        line.append(c == columns - 1 ? row[c] : pad(row[c], widths[c] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
