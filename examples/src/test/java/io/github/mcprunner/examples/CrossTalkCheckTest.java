package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check itself, on requests made up to hold exactly the fault under test. */
class CrossTalkCheckTest {
  private final List<DemoTenant> tenants = DemoTenant.create(2, new SecureRandom());
  private final DemoRun alice =
      DemoRun.plan("seq-1", "httpclient", tenants.get(0), "n1", List.of());
  private final DemoRun bob = DemoRun.plan("seq-2", "httpclient", tenants.get(1), "n2", List.of());
  private final Map<String, DemoRun> runs = Map.of("n1", alice, "n2", bob);

  @Test
  void requestsCarryingTheirOwnRunsHeadersPass() {
    CrossTalkCheck.Result result =
        CrossTalkCheck.check(
            List.of(call(1, alice, "s-a", Map.of()), call(2, bob, "s-b", Map.of())), runs, true);

    assertThat(result.ok()).isTrue();
    assertThat(result.checked()).isEqualTo(2);
    assertThat(result.foreign()).isZero();
  }

  @Test
  void anotherRunsTokenIsCaught_withoutPrintingIt() {
    String bobsToken = bob.expectedValue("Authorization").orElseThrow();
    CrossTalkCheck.Result result =
        CrossTalkCheck.check(
            List.of(
                call(1, alice, "s-a", Map.of("Authorization", bobsToken)),
                call(2, bob, "s-b", Map.of())),
            runs,
            true);

    assertThat(result.ok()).isFalse();
    assertThat(result.foreign()).isEqualTo(1);
    assertThat(result.problems())
        .singleElement()
        .asString()
        .contains("request #1", "seq-1", "Authorization")
        .doesNotContain(bobsToken)
        .doesNotContain(tenants.get(1).userToken());
  }

  @Test
  void aMissingTenantHeaderIsCaught() {
    Map<String, List<String>> headers = headersOf(alice, Map.of());
    headers.remove("X-Api-Key");
    SeenRequest request = new SeenRequest(1, "POST", "tools/call", "whoami", headers, "s-a", 200);

    CrossTalkCheck.Result result =
        CrossTalkCheck.check(List.of(request, call(2, bob, "s-b", Map.of())), runs, true);

    assertThat(result.problems()).singleElement().asString().contains("X-Api-Key is missing");
  }

  @Test
  void oneSessionServingTwoUsersIsCaught() {
    CrossTalkCheck.Result result =
        CrossTalkCheck.check(
            List.of(call(1, alice, "shared", Map.of()), call(2, bob, "shared", Map.of())),
            runs,
            true);

    assertThat(result.problems()).singleElement().asString().contains("one MCP session served 2");
  }

  @Test
  void anUntaggedToolCallAndAnUntaggedRequestWithAUsersHeaderAreCaught() {
    Map<String, List<String>> untagged = headersOf(alice, Map.of());
    untagged.remove(DemoRun.NONCE_HEADER);
    CrossTalkCheck.Result result =
        CrossTalkCheck.check(
            List.of(
                call(1, alice, "s-a", Map.of()),
                call(2, bob, "s-b", Map.of()),
                new SeenRequest(3, "GET", null, null, untagged, "s-a", 200),
                new SeenRequest(4, "POST", "tools/call", "whoami", Map.of(), "s-a", 200)),
            runs,
            true);

    assertThat(result.foreign()).isEqualTo(2);
    assertThat(result.problems())
        .anySatisfy(p -> assertThat(p).contains("#3", "no run tag but a run's Authorization"))
        .anySatisfy(p -> assertThat(p).contains("#4", "carried no run tag"));
  }

  @Test
  void aRunWhoseCallsNeverArrivedIsCaught() {
    CrossTalkCheck.Result result =
        CrossTalkCheck.check(List.of(call(1, alice, "s-a", Map.of())), runs, true);

    assertThat(result.problems()).singleElement().asString().contains("run seq-2: no request");
  }

  private static SeenRequest call(
      int arrival, DemoRun run, String session, Map<String, String> overrides) {
    return new SeenRequest(
        arrival, "POST", "tools/call", "whoami", headersOf(run, overrides), session, 200);
  }

  private static Map<String, List<String>> headersOf(DemoRun run, Map<String, String> overrides) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    run.expected().forEach((name, value) -> headers.put(name, List.of(value)));
    headers.put("Content-Type", List.of("application/json"));
    overrides.forEach((name, value) -> headers.put(name, List.of(value)));
    return headers;
  }
}
