package io.github.mcprunner.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 200 tenants × 25 runs, 32 at a time, one runner and one agent, each run calling tools several
 * times: every recorded request is checked to carry its own run's headers and no other's.
 */
class CrossTalkTest {
  private static final int TENANTS = 200;
  private static final int RUNS_PER_TENANT = 25;
  private static final int CONCURRENCY = 32;

  @ParameterizedTest
  @EnumSource(
      value = SessionStrategy.class,
      names = {"PER_IDENTITY", "SHARED"})
  void noRequestCarriesAnotherRunsHeaders(SessionStrategy strategy) throws Exception {
    check(EmbeddedMcpServer.Mode.STATEFUL, strategy);
  }

  /** The same against an MCP 2026-07-28 server: no session at all, each run's headers exact. */
  @Test
  void noStatelessRequestCarriesAnotherRunsHeaders() throws Exception {
    check(EmbeddedMcpServer.Mode.MODERN, SessionStrategy.PER_IDENTITY);
  }

  private void check(EmbeddedMcpServer.Mode mode, SessionStrategy strategy) throws Exception {
    try (EmbeddedMcpServer server = EmbeddedMcpServer.builder().mode(mode).defaultTools().start();
        Runner runner = Runners.builder().discoverHeaderProviders(false).build()) {
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .callTool("echo_headers", "{}")
                      .callTool("whoami", "{}")
                      .answer(ScriptedModel::lastToolOutput)
                      .build())
              .mcpServer(
                  McpServerSpec.builder("tickets", server.url())
                      .headers(McpHeaders.of("X-Static", "s"))
                      .sessionStrategy(strategy)
                      .build())
              .maxTurns(5)
              .build();

      // Each run: its tenant, a nonce no other run has, and a bearer token bound to both.
      Map<String, String> tenantOfNonce = new HashMap<>();
      List<String[]> plan = new ArrayList<>();
      for (int r = 0; r < RUNS_PER_TENANT; r++) {
        for (int t = 0; t < TENANTS; t++) {
          String tenant = "tenant-" + t;
          String nonce = "run-" + t + "-" + r;
          tenantOfNonce.put(nonce, tenant);
          plan.add(new String[] {tenant, nonce});
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
      List<Future<String[]>> results = new ArrayList<>();
      for (String[] run : plan) {
        results.add(
            pool.submit(
                () -> {
                  RunResult result =
                      runner.run(
                          agent,
                          "who am I?",
                          McpHeaders.of(
                              "X-Tenant-Id", run[0],
                              "X-Run-Nonce", run[1],
                              "Authorization", "Bearer " + run[0] + ":" + run[1]));
                  return new String[] {run[1], result.finalOutput()};
                }));
      }
      for (Future<String[]> future : results) {
        String[] outcome = future.get(5, TimeUnit.MINUTES);
        // The tool's answer comes from the request that carried the call: it names this run.
        assertThat(outcome[1]).contains(outcome[0]).contains(tenantOfNonce.get(outcome[0]));
      }
      pool.shutdown();

      List<RecordedRequest> requests = server.requests();
      Map<String, Integer> callsPerNonce = new HashMap<>();
      Map<String, Set<String>> tenantsPerSession = new HashMap<>();
      int checked = 0;
      for (RecordedRequest request : requests) {
        List<String> tenants = request.headerValues("X-Tenant-Id");
        List<String> nonces = request.headerValues("X-Run-Nonce");
        List<String> auth = request.headerValues("Authorization");
        assertThat(request.headerValues("X-Static")).containsExactly("s");
        if ("tools/call".equals(request.mcpMethod()) || "tools/list".equals(request.mcpMethod())) {
          assertThat(nonces).as("run requests carry their run's nonce").hasSize(1);
        }
        if (!nonces.isEmpty()) {
          String nonce = nonces.get(0);
          assertThat(nonces).hasSize(1);
          assertThat(tenants).containsExactly(tenantOfNonce.get(nonce));
          assertThat(auth).containsExactly("Bearer " + tenantOfNonce.get(nonce) + ":" + nonce);
          if ("tools/call".equals(request.mcpMethod())) {
            callsPerNonce.merge(nonce, 1, Integer::sum);
          }
          checked++;
        } else {
          assertThat(tenants).isEmpty();
          assertThat(auth).isEmpty();
        }
        if (strategy == SessionStrategy.PER_IDENTITY
            && request.sessionId() != null
            && !tenants.isEmpty()) {
          tenantsPerSession
              .computeIfAbsent(request.sessionId(), k -> new HashSet<>())
              .add(tenants.get(0));
        }
      }
      assertThat(checked).isGreaterThanOrEqualTo(TENANTS * RUNS_PER_TENANT * 3);
      assertThat(callsPerNonce).hasSize(TENANTS * RUNS_PER_TENANT);
      assertThat(callsPerNonce.values()).allMatch(count -> count == 3);
      if (mode == EmbeddedMcpServer.Mode.MODERN) {
        for (RecordedRequest request : requests) {
          assertThat(request.httpMethod()).isEqualTo("POST");
          assertThat(request.headerValues("MCP-Protocol-Version")).containsExactly("2026-07-28");
          assertThat(request.sessionId()).isNull();
          assertThat(request.mcpMethod()).isNotEqualTo("initialize");
        }
      } else if (strategy == SessionStrategy.PER_IDENTITY) {
        tenantsPerSession.forEach((session, tenants) -> assertThat(tenants).as(session).hasSize(1));
        assertThat(requests.stream().filter(r -> "initialize".equals(r.mcpMethod())).count())
            .isLessThanOrEqualTo(TENANTS);
      } else {
        assertThat(requests.stream().filter(r -> "initialize".equals(r.mcpMethod())).count())
            .isEqualTo(1);
      }
    }
  }
}
