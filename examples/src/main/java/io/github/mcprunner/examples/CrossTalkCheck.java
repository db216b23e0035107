package io.github.mcprunner.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every request the server saw against the run it belongs to, found by its {@value
 * DemoRun#NONCE_HEADER} tag: it must carry exactly that run's value of every run-specific header
 * (and none that run does not have), no other run's tag, and a session opened for one user must
 * serve no other. Problems name requests, runs and header names, never values.
 */
final class CrossTalkCheck {

  /**
   * The outcome.
   *
   * @param checked how many requests were checked
   * @param foreign how many carried a header value or tag of another run (or of no run)
   * @param problems one line per problem found
   */
  record Result(int checked, int foreign, List<String> problems) {
    Result {
      problems = List.copyOf(problems);
    }

    boolean ok() {
      return problems.isEmpty();
    }
  }

  private CrossTalkCheck() {}

  /**
   * Checks {@code requests} against {@code runs} (by nonce).
   *
   * @param toolsCalled whether every run was scripted to call at least one tool
   */
  static Result check(List<SeenRequest> requests, Map<String, DemoRun> runs, boolean toolsCalled) {
    Set<String> names = new LinkedHashSet<>();
    runs.values().forEach(run -> names.addAll(run.expected().keySet()));
    // Header names whose value tells runs apart (a --header with one value for all does not).
    Map<String, Set<String>> valuesOf = new HashMap<>();
    for (DemoRun run : runs.values()) {
      for (String name : names) {
        valuesOf
            .computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new HashSet<>())
            .add(run.expectedValue(name).orElse(""));
      }
    }
    List<String> problems = new ArrayList<>();
    int foreign = 0;
    Map<String, Set<String>> identitiesOfSession = new HashMap<>();
    Map<String, Integer> requestsOfRun = new HashMap<>();
    Map<String, Integer> callsOfRun = new HashMap<>();
    for (SeenRequest request : requests) {
      String where = "request #" + request.arrival() + " (" + request.describe() + ")";
      List<String> nonces = request.values(DemoRun.NONCE_HEADER);
      boolean wrong = false;
      if (nonces.size() > 1) {
        problems.add(where + " carried " + nonces.size() + " run tags");
        wrong = true;
      } else if (nonces.size() == 1) {
        DemoRun run = runs.get(nonces.get(0));
        if (run == null) {
          problems.add(where + " carried the tag of no run of this demo");
          wrong = true;
        } else {
          requestsOfRun.merge(run.nonce(), 1, Integer::sum);
          if ("tools/call".equals(request.mcpMethod())) {
            callsOfRun.merge(run.nonce(), 1, Integer::sum);
          }
          for (String name : names) {
            List<String> seen = request.values(name);
            List<String> expected = run.expectedValue(name).map(List::of).orElse(List.of());
            if (!seen.equals(expected)) {
              problems.add(
                  where
                      + " of run "
                      + run.label()
                      + ": header "
                      + name
                      + (seen.isEmpty() ? " is missing" : " is not the run's own value"));
              wrong = true;
            }
          }
          String session = request.sessionId();
          if (session != null) {
            identitiesOfSession
                .computeIfAbsent(session, k -> new HashSet<>())
                .add(run.tenant().tenantId() + "/" + run.tenant().userId());
          }
        }
      } else {
        if ("tools/call".equals(request.mcpMethod()) || "tools/list".equals(request.mcpMethod())) {
          problems.add(where + " carried no run tag");
          wrong = true;
        }
        for (String name : names) {
          Set<String> values = valuesOf.get(name.toLowerCase(java.util.Locale.ROOT));
          boolean distinguishing = values != null && values.size() > 1;
          if (distinguishing && !request.values(name).isEmpty()) {
            problems.add(where + " carried no run tag but a run's " + name + " header");
            wrong = true;
          }
        }
      }
      if (wrong) {
        foreign++;
      }
    }
    identitiesOfSession.forEach(
        (session, identities) -> {
          if (identities.size() > 1) {
            problems.add("one MCP session served " + identities.size() + " different users");
          }
        });
    for (DemoRun run : runs.values()) {
      if (!requestsOfRun.containsKey(run.nonce())) {
        problems.add("run " + run.label() + ": no request of it reached the server");
      } else if (toolsCalled && !callsOfRun.containsKey(run.nonce())) {
        problems.add(
            "run "
                + run.label()
                + ": none of its tool calls reached the server (see its tool results)");
      }
    }
    return new Result(requests.size(), foreign, problems);
  }
}
