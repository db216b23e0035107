package io.github.mcprunner.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
   * {@code Sessions: s1 acme/alice (seq-1, par-1), s2 ...}.
   */
  String sessionSummary(List<SeenRequest> requests, Map<String, DemoRun> runs) {
    Map<String, java.util.Set<String>> runsOfSession = new java.util.LinkedHashMap<>();
    Map<String, java.util.Set<String>> usersOfSession = new java.util.LinkedHashMap<>();
    int initializes = 0;
    for (SeenRequest request : requests) {
      List<String> nonces = request.values(DemoRun.NONCE_HEADER);
      DemoRun run = nonces.size() == 1 ? runs.get(nonces.get(0)) : null;
      if ("initialize".equals(request.mcpMethod())) {
        initializes++;
      }
      if (request.sessionId() == null || run == null) {
        continue;
      }
      String label = session(request.sessionId());
      runsOfSession.computeIfAbsent(label, k -> new java.util.LinkedHashSet<>()).add(run.label());
      usersOfSession
          .computeIfAbsent(label, k -> new java.util.LinkedHashSet<>())
          .add(run.tenant().tenantId() + "/" + run.tenant().userId());
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
    return "  Sessions: "
        + (parts.isEmpty() ? "none" : String.join("; ", parts))
        + ". "
        + initializes
        + " initialize for "
        + runs.size()
        + " runs: a user's later runs reuse the session its first run opened.";
  }

  /** Prints each run's tool results (or its error), one line per tool call. */
  void results(
      List<DemoRun> runs, Map<String, List<String[]>> toolResults, Map<String, String> errors) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"run", "tenant", "user", "transport", "tool", "result"});
    for (DemoRun run : runs) {
      String error = errors.get(run.nonce());
      List<String[]> results = toolResults.getOrDefault(run.nonce(), List.of());
      if (error != null) {
        rows.add(row(run, "(failed)", error));
      } else if (results.isEmpty()) {
        rows.add(row(run, "(none)", "-"));
      }
      boolean first = error == null;
      for (String[] result : results) {
        rows.add(
            first
                ? row(run, result[0], result[1])
                : new String[] {"", "", "", "", result[0], clip(result[1])});
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

  private String session(String sessionId) {
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
