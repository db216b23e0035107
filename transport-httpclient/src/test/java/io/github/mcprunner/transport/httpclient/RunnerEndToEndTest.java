package io.github.mcprunner.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.FunctionTool;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.MaxTurnsExceededException;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpUnauthorizedException;
import io.github.mcprunner.RunCancelledException;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolConflictException;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.InvalidMcpHeaderException;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.RunEvents;
import io.github.mcprunner.testkit.ScriptedModel;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner end to end over the HttpClient transport against the embedded MCP server. */
class RunnerEndToEndTest {

  private EmbeddedMcpServer server;
  private final List<Runner> runners = new ArrayList<>();

  @BeforeEach
  void startServer() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
  }

  @AfterEach
  void stop() {
    runners.forEach(Runner::close);
    server.close();
  }

  private Runner runner() {
    return track(Runners.builder().discoverHeaderProviders(false).build());
  }

  private Runner track(Runner runner) {
    runners.add(runner);
    return runner;
  }

  private McpServerSpec.Builder spec(EmbeddedMcpServer target) {
    return McpServerSpec.builder("tickets", target.url());
  }

  private Agent agent(ScriptedModel model, McpServerSpec... servers) {
    Agent.Builder builder = Agent.builder("support").instructions("Help.").model(model);
    for (McpServerSpec s : servers) {
      builder.mcpServer(s);
    }
    return builder.build();
  }

  private static ScriptedModel whoamiThenAnswer() {
    return ScriptedModel.builder()
        .callTool("whoami", "{}")
        .answer(request -> "done: " + ScriptedModel.lastToolOutput(request))
        .build();
  }

  @Test
  void seedExamplePerRunHeadersReachEveryRequestOverStaticHeaders() {
    Runner runner = runner();
    McpServerSpec tickets =
        spec(server).headers(McpHeaders.of("X-Static", "s", "X-User-Id", "static-user")).build();
    Agent agent = agent(whoamiThenAnswer(), tickets);

    RunResult result =
        runner.run(
            agent,
            "Summarise my open tickets",
            McpHeaders.of("Authorization", "Bearer u1", "X-User-Id", "u1"));
    runner.close();

    assertThat(result.finalOutput()).contains("Bearer u1").contains("u1");
    assertThat(result.toolCalls())
        .singleElement()
        .satisfies(c -> assertThat(c.serverName()).isEqualTo("tickets"));
    List<RecordedRequest> requests = server.requests();
    assertThat(requests)
        .extracting(RecordedRequest::mcpMethod)
        .contains("initialize", "tools/list", "tools/call");
    assertThat(requests).anySatisfy(r -> assertThat(r.httpMethod()).isEqualTo("DELETE"));
    for (RecordedRequest request : requests) {
      assertThat(request.headerValues("Authorization"))
          .as(describe(request))
          .containsExactly("Bearer u1");
      assertThat(request.headerValues("X-User-Id")).as(describe(request)).containsExactly("u1");
      assertThat(request.headerValues("X-Static")).as(describe(request)).containsExactly("s");
    }
  }

  @Test
  void streamedRunCarriesItsHeadersAndReportsEvents() throws Exception {
    Runner runner = runner();
    Agent agent = agent(whoamiThenAnswer(), spec(server).build());

    RunStream stream = runner.runStreamed(agent, "Who am I?", McpHeaders.of("X-Tenant-Id", "t1"));
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(30));
    RunResult result = stream.result().get(30, TimeUnit.SECONDS);

    assertThat(result.finalOutput()).contains("t1");
    assertThat(events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(RunEvent.ToolCallStarted.class));
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(RunEvent.TextDelta.class));
    assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
    for (RecordedRequest request : server.requests()) {
      assertThat(request.headerValues("X-Tenant-Id")).as(describe(request)).containsExactly("t1");
    }
  }

  @Test
  void withoutPerRunHeadersRequestsCarryExactlyTheStaticHeaders() {
    Runner runner = runner();
    McpServerSpec tickets =
        spec(server).headers(McpHeaders.of("X-Static", "s", "X-Api-Version", "2")).build();
    runner.run(agent(whoamiThenAnswer(), tickets), "hi");
    runner.close();

    for (RecordedRequest request : server.requests()) {
      assertThat(customHeaders(request))
          .as(describe(request))
          .containsExactlyInAnyOrder("x-static", "x-api-version");
      assertThat(request.headerValues("X-Static")).containsExactly("s");
      assertThat(request.headerValues("X-Api-Version")).containsExactly("2");
    }
  }

  @Test
  void oneSessionPerIdentityOverManyRuns() {
    Runner runner = runner();
    Agent agent = agent(whoamiThenAnswer(), spec(server).build());
    for (int i = 0; i < 1_000; i++) {
      String user = "user-" + (i % 10);
      runner.run(
          agent, "hi", McpHeaders.of("Authorization", "Bearer token-" + i, "X-User-Id", user));
    }
    assertThat(server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).count())
        .isLessThanOrEqualTo(10);
    // A session never serves another identity: every request of one session carries one user id.
    assertOneValuePerSession("X-User-Id");
  }

  @Test
  void perServerHeadersReachOnlyTheirServer() {
    try (EmbeddedMcpServer other =
        EmbeddedMcpServer.builder()
            .mode(EmbeddedMcpServer.Mode.STATEFUL)
            .tool("billing_status", "Billing status", "{\"type\":\"object\"}", (args, req) -> "ok")
            .start()) {
      Runner runner = runner();
      Agent agent =
          agent(
              ScriptedModel.builder()
                  .callTool("whoami", "{}")
                  .callTool("billing_status", "{}")
                  .answer(r -> "done")
                  .build(),
              spec(server).build(),
              McpServerSpec.builder("billing", other.url()).build());
      runner.run(
          agent,
          "hi",
          RunOptions.builder()
              .mcpHeaders(McpHeaders.of("X-Tenant-Id", "acme"))
              .mcpHeaders(
                  "billing",
                  McpHeaders.of("X-Billing-Account", "b-42", "X-Tenant-Id", "acme-billing"))
              .build());

      for (RecordedRequest request : server.requests()) {
        assertThat(request.header("X-Billing-Account")).as(describe(request)).isEmpty();
        assertThat(request.headerValues("X-Tenant-Id")).containsExactly("acme");
      }
      assertThat(other.requests()).isNotEmpty();
      for (RecordedRequest request : other.requests()) {
        assertThat(request.headerValues("X-Billing-Account"))
            .as(describe(request))
            .containsExactly("b-42");
        assertThat(request.headerValues("X-Tenant-Id")).containsExactly("acme-billing");
      }
    }
  }

  @Test
  void protectedPerRunHeaderFailsBeforeAnythingIsSent() {
    Runner runner = runner();
    ScriptedModel model = whoamiThenAnswer();
    Agent agent = agent(model, spec(server).build());

    assertThatThrownBy(() -> runner.run(agent, "hi", McpHeaders.of("mcp-session-id", "forged")))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("mcp-session-id")
        .hasMessageNotContaining("forged");
    assertThat(model.requestCount()).isZero();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void failingProviderFailsTheRunAndNothingIsSent() {
    McpHeaderProvider broken =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "broken-sso";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            throw new IllegalStateException("secret-token-in-message");
          }
        };
    Runner runner =
        track(Runners.builder().discoverHeaderProviders(false).headerProvider(broken).build());
    ScriptedModel model = whoamiThenAnswer();

    assertThatThrownBy(() -> runner.run(agent(model, spec(server).build()), "hi"))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("broken-sso")
        .hasMessageContaining("tickets")
        .hasMessageNotContaining("secret-token-in-message");
    assertThat(server.requests()).isEmpty();
    assertThat(model.requestCount()).isZero();
  }

  @Test
  void sessionExpiredMidRunIsReopenedAndTheRunCompletes() {
    Runner runner = runner();
    FunctionTool expire =
        FunctionTool.of(
            "expire_sessions",
            "Makes the MCP server forget its sessions",
            "{\"type\":\"object\"}",
            args -> {
              server.expireSessions();
              return "expired";
            });
    Agent agent =
        agent(
                ScriptedModel.builder()
                    .callTool("whoami", "{}")
                    .callTool("expire_sessions", "{}")
                    .callTool("whoami", "{}")
                    .answer(r -> "done: " + ScriptedModel.lastToolOutput(r))
                    .build(),
                spec(server).build())
            .toBuilder()
            .functionTool(expire)
            .build();

    RunResult result = runner.run(agent, "hi", McpHeaders.of("X-User-Id", "u7"));

    assertThat(result.finalOutput()).startsWith("done").contains("u7");
    assertThat(result.toolResults()).noneMatch(r -> r.error());
    // The second whoami ran on a newly opened session (the SDK's own client may also try to
    // re-initialise the lost one in the background before the runner closes it).
    List<RecordedRequest> calls =
        server.requests().stream()
            .filter(r -> r.isToolCall("whoami") && r.status() == 200)
            .toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).sessionId()).isNotEqualTo(calls.get(1).sessionId());
    assertThat(server.requests().stream().filter(r -> r.status() == 404).count())
        .isGreaterThanOrEqualTo(1);
    for (RecordedRequest request : server.requests()) {
      assertThat(request.headerValues("X-User-Id")).as(describe(request)).containsExactly("u7");
    }
  }

  @Test
  void serverDownGivesAnErrorNamingServerAndUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/mcp";
    Runner runner = runner();
    Agent agent = agent(whoamiThenAnswer(), McpServerSpec.builder("crm", url).build());

    assertThatThrownBy(() -> runner.run(agent, "hi"))
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("'crm'")
        .hasMessageContaining(url);
  }

  @Test
  void cancelledStreamedRunSendsNoFurtherRequest() throws Exception {
    Runner runner = runner();
    RunStream[] stream = new RunStream[1];
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    FunctionTool cancel =
        FunctionTool.of(
            "cancel_me",
            "Cancels the run",
            "{\"type\":\"object\"}",
            args -> {
              started.await(10, TimeUnit.SECONDS);
              stream[0].cancel();
              return "cancelled";
            });
    Agent agent =
        agent(
                ScriptedModel.builder()
                    .callTool("whoami", "{}")
                    .callTool("cancel_me", "{}")
                    .callTool("whoami", "{}")
                    .answer(r -> "done")
                    .build(),
                spec(server).build())
            .toBuilder()
            .functionTool(cancel)
            .build();

    stream[0] = runner.runStreamed(agent, "hi", McpHeaders.of("X-User-Id", "u1"));
    started.countDown();

    assertThatThrownBy(() -> stream[0].result().get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RunCancelledException.class);
    assertThat(server.requests().stream().filter(r -> "tools/call".equals(r.mcpMethod())).count())
        .isEqualTo(1);
  }

  @Test
  void unauthorizedRetriesOnceWithRefreshedHeadersThenFailsClearly() {
    try (EmbeddedMcpServer secured =
        EmbeddedMcpServer.builder()
            .mode(EmbeddedMcpServer.Mode.STATEFUL)
            .defaultTools()
            .requireBearerToken(token -> token.startsWith("fresh-"))
            .start()) {
      AtomicInteger refreshes = new AtomicInteger();
      McpHeaderProvider tokens =
          new McpHeaderProvider() {
            @Override
            public String name() {
              return "token-cache";
            }

            @Override
            public McpHeaders headers(HeaderContext context) {
              return McpHeaders.of(
                  "Authorization",
                  refreshes.get() == 0 ? "Bearer stale-1" : "Bearer fresh-" + refreshes.get());
            }

            @Override
            public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
              refreshes.incrementAndGet();
              return true;
            }
          };
      Runner runner =
          track(Runners.builder().discoverHeaderProviders(false).headerProvider(tokens).build());
      RunResult result =
          runner.run(
              agent(whoamiThenAnswer(), McpServerSpec.builder("secured", secured.url()).build()),
              "hi");
      assertThat(result.finalOutput()).contains("fresh-1");
      assertThat(refreshes).hasValue(1);
      assertThat(secured.requests().stream().filter(r -> r.status() == 401).count()).isEqualTo(1);

      McpHeaderProvider alwaysStale =
          new McpHeaderProvider() {
            @Override
            public String name() {
              return "stale";
            }

            @Override
            public McpHeaders headers(HeaderContext context) {
              return McpHeaders.of("Authorization", "Bearer stale-forever");
            }

            @Override
            public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
              return true;
            }
          };
      Runner failing =
          track(
              Runners.builder().discoverHeaderProviders(false).headerProvider(alwaysStale).build());
      secured.clearRequests();
      assertThatThrownBy(
              () ->
                  failing.run(
                      agent(
                          whoamiThenAnswer(),
                          McpServerSpec.builder("secured", secured.url()).build()),
                      "hi"))
          .isInstanceOf(McpUnauthorizedException.class)
          .hasMessageContaining("'secured'")
          .hasMessageContaining("401")
          .hasMessageNotContaining("stale-forever");
      assertThat(secured.requests().stream().filter(r -> r.status() == 401).count()).isEqualTo(2);
    }
  }

  @Test
  void sameToolOnTwoServersIsAClearErrorAtRunStart() {
    try (EmbeddedMcpServer other =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start()) {
      Runner runner = runner();
      ScriptedModel model = whoamiThenAnswer();
      Agent agent =
          agent(model, spec(server).build(), McpServerSpec.builder("crm", other.url()).build());
      assertThatThrownBy(() -> runner.run(agent, "hi"))
          .isInstanceOf(ToolConflictException.class)
          .hasMessageContaining("whoami")
          .hasMessageContaining("'tickets'")
          .hasMessageContaining("'crm'");
      assertThat(model.requestCount()).isZero();
    }
  }

  @Test
  void runStopsAtMaxTurns() {
    Runner runner = runner();
    ScriptedModel looping =
        ScriptedModel.builder()
            .callTool("whoami", "{}")
            .callTool("whoami", "{}")
            .callTool("whoami", "{}")
            .build();
    Agent agent = agent(looping, spec(server).build()).toBuilder().maxTurns(2).build();
    assertThatThrownBy(() -> runner.run(agent, "hi"))
        .isInstanceOf(MaxTurnsExceededException.class)
        .hasMessageContaining("'support'")
        .hasMessageContaining("2");
  }

  @Test
  void idleSessionIsClosedWithDeleteCarryingItsIdentitysLatestHeaders() throws Exception {
    MutableClock clock = new MutableClock();
    Runner runner = track(Runners.builder().discoverHeaderProviders(false).clock(clock).build());
    McpServerSpec tickets =
        spec(server).sessionIdleTimeout(java.time.Duration.ofMinutes(5)).build();
    Agent agent = agent(whoamiThenAnswer(), tickets);

    runner.run(agent, "hi", McpHeaders.of("Authorization", "Bearer u1-old", "X-User-Id", "u1"));
    runner.run(agent, "hi", McpHeaders.of("Authorization", "Bearer u1-new", "X-User-Id", "u1"));
    assertThat(server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).count())
        .as("a refreshed token keeps the identity's session")
        .isEqualTo(1);
    assertThat(server.requests()).noneMatch(r -> r.httpMethod().equals("DELETE"));

    clock.advance(java.time.Duration.ofMinutes(6));
    ((io.github.mcprunner.core.internal.DefaultRunner) runner).evictIdleSessions();

    RecordedRequest delete =
        server
            .awaitRequest(r -> r.httpMethod().equals("DELETE"), java.time.Duration.ofSeconds(10))
            .orElseThrow();
    assertThat(delete.headerValues("Authorization")).containsExactly("Bearer u1-new");
    assertThat(delete.headerValues("X-User-Id")).containsExactly("u1");
    assertThat(((io.github.mcprunner.core.internal.DefaultRunner) runner).pooledSessions())
        .isZero();

    runner.run(agent, "hi", McpHeaders.of("Authorization", "Bearer u1-new", "X-User-Id", "u1"));
    assertThat(server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).count())
        .isEqualTo(2);
  }

  @Test
  void toolListIsCachedPerSessionAndRefreshedWhenTheServerSaysItChanged() throws Exception {
    Runner runner = runner();
    Agent agent = agent(whoamiThenAnswer(), spec(server).build());
    McpHeaders u1 = McpHeaders.of("X-User-Id", "u1");
    runner.run(agent, "hi", u1);
    runner.run(agent, "hi", u1);
    assertThat(server.requests().stream().filter(r -> "tools/list".equals(r.mcpMethod())).count())
        .as("the second run of the identity uses the session's cached tool list")
        .isEqualTo(1);

    // The notification travels on the session's GET stream, which the client opens after
    // initialising: wait until the server has it open.
    assertThat(
            server.awaitRequest(
                r -> r.httpMethod().equals("GET") && r.status() == 200,
                java.time.Duration.ofSeconds(10)))
        .isPresent();
    server.addTool(
        "escalate", "Escalate a ticket", "{\"type\":\"object\"}", (args, request) -> "escalated");
    // The recorded GET can precede the moment the SDK server attaches that stream to the session,
    // and a notification sent in between reaches no one (it was seen under load): repeat the
    // notification, at most five times in the same ten seconds, until the client re-lists.
    java.util.function.Predicate<RecordedRequest> relisted =
        r ->
            "tools/list".equals(r.mcpMethod())
                && r.status() == 200
                && server.requests().stream()
                        .filter(x -> "tools/list".equals(x.mcpMethod()))
                        .count()
                    >= 2;
    java.util.Optional<RecordedRequest> relist =
        server.awaitRequest(relisted, java.time.Duration.ofSeconds(2));
    for (int attempt = 1; relist.isEmpty() && attempt < 5; attempt++) {
      server.notifyToolsListChanged();
      relist = server.awaitRequest(relisted, java.time.Duration.ofSeconds(2));
    }
    assertThat(relist)
        .as("the client re-lists the tools after notifications/tools/list_changed")
        .isPresent();
    Agent escalating =
        agent(
            ScriptedModel.builder()
                .callTool("escalate", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build(),
            spec(server).build());
    // The SDK hands the re-listed tools to the session asynchronously: poll, bounded.
    RunResult result = runner.run(escalating, "escalate", u1);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (result.toolResults().get(0).error() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
      result = runner.run(escalating, "escalate", u1);
    }
    assertThat(result.finalOutput()).isEqualTo("escalated");
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends java.time.Clock {
    private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    void advance(java.time.Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  private void assertOneValuePerSession(String header) {
    java.util.Map<String, Set<String>> valuesBySession = new java.util.HashMap<>();
    for (RecordedRequest request : server.requests()) {
      if (request.sessionId() != null) {
        valuesBySession
            .computeIfAbsent(request.sessionId(), k -> new java.util.HashSet<>())
            .add(request.header(header).orElse("<none>"));
      }
    }
    assertThat(valuesBySession).isNotEmpty();
    valuesBySession.forEach(
        (session, values) -> assertThat(values).as("session " + session).hasSize(1));
  }

  static Set<String> customHeaders(RecordedRequest request) {
    Set<String> names = new java.util.TreeSet<>();
    for (String name : request.headers().keySet()) {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (!STANDARD.contains(lower)) {
        names.add(lower);
      }
    }
    return names;
  }

  private static final Set<String> STANDARD =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "accept",
          "connection",
          "user-agent",
          "upgrade",
          "http2-settings",
          "cache-control",
          "mcp-session-id",
          "mcp-protocol-version",
          "mcp-method",
          "mcp-name",
          "last-event-id",
          "accept-encoding",
          "transfer-encoding");

  static String describe(RecordedRequest request) {
    return request.httpMethod() + " " + request.path() + " " + request.mcpMethod();
  }
}
