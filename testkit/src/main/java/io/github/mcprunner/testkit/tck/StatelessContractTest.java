package io.github.mcprunner.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcprunner.Agent;
import io.github.mcprunner.InputHandler;
import io.github.mcprunner.InputRequest;
import io.github.mcprunner.InputResponse;
import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpProtocolException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunEvent;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.RunStream;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.RunnerBuilder;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.EmbeddedMcpServer.Mode;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.RunEvents;
import io.github.mcprunner.testkit.ScriptedModel;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of the stateless protocol (MCP 2026-07-28) every transport of mcp-runner passes,
 * against the MCP SDK's own 2026-07-28 server ({@link Mode#MODERN}) and a server of both revisions
 * ({@link Mode#DUAL}): extend it in the transport module's tests and return the transport's factory
 * from {@link #transport()}.
 *
 * <p>What it checks, request by request on the server's recording: one POST per request with {@code
 * MCP-Protocol-Version: 2026-07-28}, {@code Mcp-Method}, {@code Mcp-Name} on every {@code
 * tools/call}, {@code _meta} at 2026-07-28 with client info and capabilities, no {@code
 * initialize}, no session id, no GET, no DELETE, and the run's own resolved headers on every
 * request (concurrent runs too); {@code AUTO} choosing 2026-07-28 on a server of both revisions and
 * the session protocol on a session server (the probe carrying the run's headers); {@code
 * x-mcp-header} mirrored into {@code Mcp-Param-*} with the Base64 sentinel; {@code input_required}
 * retried with the declined elicitation and the server's request state, within the server's round
 * bound; tool lists cached as their {@code cacheScope} says; a lost request re-issued once and
 * reported as {@code RunEvent.RequestReissued}; every request observed by a {@code RunObserver}
 * (concurrent runs too) with its trace context in {@code _meta}; one agent with a stateless and a
 * session server together.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StatelessContractTest {

  private static final String VERSION = "2026-07-28";
  private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Returns the factory of the transport under test; called once per runner the suite builds. */
  protected abstract McpTransportFactory transport();

  @AfterEach
  void closeEverything() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // Best effort: the next test starts its own servers.
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private Runner runner(McpHeaderProvider... providers) {
    RunnerBuilder builder =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(transport());
    for (McpHeaderProvider provider : providers) {
      builder.headerProvider(provider);
    }
    return track(builder.build());
  }

  private EmbeddedMcpServer server(Mode mode) {
    return track(EmbeddedMcpServer.builder().mode(mode).defaultTools().start());
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private static Agent agent(ScriptedModel model, McpServerSpec... servers) {
    Agent.Builder builder = Agent.builder("support").instructions("Help.").model(model);
    for (McpServerSpec server : servers) {
      builder.mcpServer(server);
    }
    return builder.build();
  }

  private static ScriptedModel calling(String tool, String arguments) {
    return ScriptedModel.builder()
        .callTool(tool, arguments)
        .answer(request -> "done: " + ScriptedModel.lastToolOutput(request))
        .build();
  }

  /** A provider adding one header, derived from the request's MCP method. */
  private static McpHeaderProvider methodEcho() {
    return new McpHeaderProvider() {
      @Override
      public String name() {
        return "method-echo";
      }

      @Override
      public McpHeaders headers(HeaderContext context) {
        return McpHeaders.of("X-Mcp-Call", context.mcpMethod().orElse("none"));
      }
    };
  }

  private static Map<String, Object> body(RecordedRequest request) {
    try {
      return McpJsonDefaults.getMapper().readValue(request.body(), MAP);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + request, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(RecordedRequest request) {
    Object params = body(request).get("params");
    assertThat(params).as("params of " + request).isInstanceOf(Map.class);
    Object meta = ((Map<String, Object>) params).get("_meta");
    assertThat(meta).as("_meta of " + request).isInstanceOf(Map.class);
    return (Map<String, Object>) meta;
  }

  /** Asserts what every request to a 2026-07-28 server must be. */
  private static void assertStateless(RecordedRequest request) {
    String what = request.toString();
    assertThat(request.httpMethod()).as(what).isEqualTo("POST");
    assertThat(request.mcpMethod()).as(what).isNotNull().isNotEqualTo("initialize");
    assertThat(request.headerValues("MCP-Protocol-Version")).as(what).containsExactly(VERSION);
    assertThat(request.headerValues("Mcp-Method")).as(what).containsExactly(request.mcpMethod());
    assertThat(request.header("Mcp-Session-Id")).as(what).isEmpty();
    assertThat(request.header("Last-Event-ID")).as(what).isEmpty();
    if ("tools/call".equals(request.mcpMethod())) {
      assertThat(request.headerValues("Mcp-Name")).as(what).containsExactly(request.toolName());
    }
    Map<String, Object> meta = meta(request);
    assertThat(meta.get("io.modelcontextprotocol/protocolVersion")).as(what).isEqualTo(VERSION);
    assertThat(meta.get("io.modelcontextprotocol/clientCapabilities"))
        .as(what)
        .isInstanceOf(Map.class);
    assertThat(meta.get("io.modelcontextprotocol/clientInfo"))
        .as(what)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("name", "mcp-runner");
    assertThat(request.status()).as(what).isEqualTo(200);
  }

  private static List<RecordedRequest> calls(EmbeddedMcpServer server, String tool) {
    return server.requests().stream().filter(r -> r.isToolCall(tool)).toList();
  }

  // ---------------------------------------------------------------- the protocol

  @Test
  void everyRequestIsOneStatelessPostWithTheRunsHeaders() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner(methodEcho());
    McpServerSpec tickets =
        McpServerSpec.builder("tickets", server.url())
            .headers(McpHeaders.of("X-Static", "s"))
            .build();
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("add", "{\"a\":20,\"b\":22}")
            .callTool("whoami", "{}")
            .answer(request -> String.join(" | ", ScriptedModel.toolOutputs(request)))
            .build();

    RunResult result =
        runner.run(
            agent(model, tickets),
            "hi",
            McpHeaders.of("Authorization", "Bearer u1-token", "X-Tenant-Id", "acme"));
    runner.close();

    assertThat(result.toolResults()).extracting(RunItem.ToolResultItem::error).containsOnly(false);
    assertThat(result.finalOutput()).startsWith("42 | ").contains("Bearer u1-token");
    List<RecordedRequest> requests = server.requests();
    assertThat(requests)
        .extracting(RecordedRequest::mcpMethod)
        .containsExactly("server/discover", "tools/list", "tools/call", "tools/call");
    Set<Object> ids = new HashSet<>();
    for (RecordedRequest request : requests) {
      String what = request.toString();
      assertStateless(request);
      ids.add(request.jsonRpcId());
      assertThat(request.headerValues("X-Static")).as(what).containsExactly("s");
      assertThat(request.headerValues("Authorization")).as(what).containsExactly("Bearer u1-token");
      assertThat(request.headerValues("X-Tenant-Id")).as(what).containsExactly("acme");
      assertThat(request.headerValues("X-Mcp-Call")).as(what).containsExactly(request.mcpMethod());
    }
    assertThat(ids).as("every request has its own JSON-RPC id").hasSize(requests.size());
  }

  @Test
  void statelessProtocolOpensNothingPerIdentityAndRemembersTheChoice() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner();
    Agent agent = agent(calling("whoami", "{}"), McpServerSpec.builder("t", server.url()).build());

    for (String user : List.of("u1", "u2", "u1")) {
      runner.run(agent, "hi", RunOptions.builder().identity(user).build());
    }
    runner.close();

    List<RecordedRequest> requests = server.requests();
    assertThat(requests).allSatisfy(StatelessContractTest::assertStateless);
    assertThat(requests.stream().filter(r -> "server/discover".equals(r.mcpMethod())))
        .as("AUTO probes once per server, then remembers")
        .hasSize(1);
    assertThat(calls(server, "whoami")).hasSize(3);
  }

  @Test
  void statelessOnlyFixedProtocolSkipsTheProbe() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    McpServerSpec spec =
        McpServerSpec.builder("t", server.url()).protocol(McpProtocol.STATELESS).build();

    RunResult result = runner().run(agent(calling("add", "{\"a\":1,\"b\":2}"), spec), "hi");

    assertThat(result.finalOutput()).isEqualTo("done: 3");
    assertThat(server.requests())
        .extracting(RecordedRequest::mcpMethod)
        .containsExactly("tools/list", "tools/call");
    assertThat(server.requests()).allSatisfy(StatelessContractTest::assertStateless);
  }

  @Test
  void autoChoosesTheStatelessProtocolOnAServerOfBothRevisions() {
    EmbeddedMcpServer server = server(Mode.DUAL);
    Runner runner = runner();

    RunResult result =
        runner.run(
            agent(calling("whoami", "{}"), McpServerSpec.builder("t", server.url()).build()),
            "hi",
            McpHeaders.of("X-User-Id", "u7"));
    runner.close();

    assertThat(result.finalOutput()).contains("u7");
    assertThat(server.requests()).isNotEmpty().allSatisfy(StatelessContractTest::assertStateless);
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("X-User-Id")).hasValue("u7"));
  }

  @Test
  void sessionsStillWorkOnAServerOfBothRevisionsWhenChosen() {
    EmbeddedMcpServer server = server(Mode.DUAL);
    McpServerSpec spec =
        McpServerSpec.builder("t", server.url()).protocol(McpProtocol.SESSIONS).build();

    RunResult result = runner().run(agent(calling("whoami", "{}"), spec), "hi");

    assertThat(result.finalOutput()).startsWith("done: ");
    assertThat(server.requests()).extracting(RecordedRequest::mcpMethod).contains("initialize");
    assertThat(server.requests())
        .noneSatisfy(r -> assertThat(r.header("MCP-Protocol-Version")).hasValue(VERSION));
  }

  @Test
  void autoFallsBackToSessionsAfterAProbeCarryingTheRunsHeaders() {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    Runner runner = runner();
    Agent agent = agent(calling("whoami", "{}"), McpServerSpec.builder("t", server.url()).build());

    runner.run(agent, "hi", McpHeaders.of("Authorization", "Bearer t1"));
    runner.run(agent, "hi", McpHeaders.of("Authorization", "Bearer t1"));

    List<RecordedRequest> probes =
        server.requests().stream().filter(r -> "server/discover".equals(r.mcpMethod())).toList();
    assertThat(probes).as("one probe; the outcome is remembered").hasSize(1);
    assertThat(probes.get(0).headerValues("MCP-Protocol-Version")).containsExactly(VERSION);
    assertThat(probes.get(0).headerValues("Authorization")).containsExactly("Bearer t1");
    assertThat(server.requests()).extracting(RecordedRequest::mcpMethod).contains("initialize");
    assertThat(calls(server, "whoami"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.sessionId()).isNotNull());
  }

  @Test
  void statelessOnlyAgainstASessionServerFailsNamingServerMethodAndReason() {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    McpServerSpec spec =
        McpServerSpec.builder("legacy", server.url()).protocol(McpProtocol.STATELESS).build();

    Throwable error =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(calling("whoami", "{}"), spec),
                        "hi",
                        McpHeaders.of("Authorization", "Bearer secret-token-value")));

    assertThat(error).isInstanceOf(McpProtocolException.class);
    McpProtocolException protocol = (McpProtocolException) error;
    assertThat(protocol.reason()).isEqualTo(McpProtocolException.Reason.NOT_STATELESS);
    assertThat(protocol.mcpMethod()).isEqualTo("tools/list");
    assertThat(error.getMessage()).contains("'legacy'").contains("tools/list");
    for (Throwable t = error; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("secret-token-value");
    }
    assertThat(server.requests())
        .extracting(RecordedRequest::mcpMethod)
        .doesNotContain("initialize");
  }

  // ---------------------------------------------------------------- x-mcp-header, MRTR

  @Test
  void xMcpHeaderArgumentsAreMirroredIntoMcpParamHeaders() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner();
    McpServerSpec spec = McpServerSpec.builder("t", server.url()).build();

    RunResult plain =
        runner.run(agent(calling("region_echo", "{\"region\":\"us-west1\"}"), spec), "hi");
    RunResult unicode =
        runner.run(agent(calling("region_echo", "{\"region\":\"Zürich \"}"), spec), "hi");

    assertThat(plain.finalOutput()).isEqualTo("done: region=us-west1 header=us-west1");
    String encoded =
        "=?base64?"
            + Base64.getEncoder().encodeToString("Zürich ".getBytes(StandardCharsets.UTF_8))
            + "?=";
    assertThat(unicode.finalOutput()).isEqualTo("done: region=Zürich  header=" + encoded);
    assertThat(calls(server, "region_echo"))
        .extracting(r -> r.headerValues("Mcp-Param-Region"))
        .containsExactly(List.of("us-west1"), List.of(encoded));
  }

  @Test
  void inputRequiredIsRetriedWithTheDeclinedElicitationAndTheRequestState() {
    EmbeddedMcpServer server = server(Mode.MODERN);

    RunResult result =
        runner()
            .run(
                agent(
                    calling("confirm", "{\"action\":\"deploy\"}"),
                    McpServerSpec.builder("t", server.url()).build()),
                "hi",
                McpHeaders.of("X-User-Id", "u1"));

    assertThat(result.finalOutput()).isEqualTo("done: decline deploy (state confirm:deploy)");
    List<RecordedRequest> rounds = calls(server, "confirm");
    assertThat(rounds).hasSize(2).allSatisfy(StatelessContractTest::assertStateless);
    assertThat(rounds)
        .allSatisfy(r -> assertThat(r.headerValues("X-User-Id")).containsExactly("u1"));
    assertThat(rounds.get(0).jsonRpcId()).isNotEqualTo(rounds.get(1).jsonRpcId());
    assertThat(rounds.get(0).body())
        .doesNotContain("requestState")
        .doesNotContain("inputResponses");
    // The SDK server seals its state (HMAC): that the tool read "confirm:deploy" back proves the
    // runner echoed it unchanged.
    assertThat(rounds.get(1).body())
        .contains("\"inputResponses\":{\"confirm\":{\"action\":\"decline\"}}")
        .contains("\"requestState\":\"");
  }

  @Test
  void inputRequiredPastTheServersRoundBoundFailsNamingTheBound() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    McpServerSpec.Builder spec = McpServerSpec.builder("asker", server.url());
    // One runner for both agents: each agent's own spec of the server sets its bound.
    Runner runner = runner();

    // confirm_n with count 4 takes 5 requests: one more than the default bound of 4.
    Throwable error =
        catchThrowable(
            () ->
                runner.run(
                    agent(calling("confirm_n", "{\"count\":4}"), spec.build()),
                    "hi",
                    McpHeaders.of("X-User-Id", "u1")));
    // Another agent's bound of 2 is the one that counts for its runs, not the default.
    Throwable lowered =
        catchThrowable(
            () ->
                runner.run(
                    agent(calling("confirm_n", "{\"count\":2}"), spec.maxInputRounds(2).build()),
                    "hi",
                    McpHeaders.of("X-User-Id", "u2")));

    assertThat(error)
        .isInstanceOf(io.github.mcprunner.McpServerException.class)
        .hasMessageContaining("'asker'")
        .hasMessageContaining("after 4 rounds of tools/call 'confirm_n'")
        .hasMessageContaining("maxInputRounds of the server is 4");
    assertThat(lowered)
        .isInstanceOf(io.github.mcprunner.McpServerException.class)
        .hasMessageContaining("after 2 rounds of tools/call 'confirm_n'")
        .hasMessageContaining("maxInputRounds of the server is 2");
    List<RecordedRequest> rounds = calls(server, "confirm_n");
    assertThat(rounds).hasSize(4 + 2).allSatisfy(StatelessContractTest::assertStateless);
    assertThat(rounds.subList(0, 4))
        .allSatisfy(r -> assertThat(r.headerValues("X-User-Id")).containsExactly("u1"));
    assertThat(rounds.subList(4, 6))
        .allSatisfy(r -> assertThat(r.headerValues("X-User-Id")).containsExactly("u2"));
  }

  @Test
  void inputRequiredWithinARaisedRoundBoundSucceedsEachRoundWithTheRunsHeaders() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    McpServerSpec spec = McpServerSpec.builder("asker", server.url()).maxInputRounds(5).build();

    RunResult result =
        runner()
            .run(
                agent(calling("confirm_n", "{\"count\":4}"), spec),
                "hi",
                McpHeaders.of("X-User-Id", "u1"));

    assertThat(result.finalOutput()).isEqualTo("done: confirmed 4 times");
    List<RecordedRequest> rounds = calls(server, "confirm_n");
    assertThat(rounds).hasSize(5).allSatisfy(StatelessContractTest::assertStateless);
    assertThat(rounds)
        .allSatisfy(r -> assertThat(r.headerValues("X-User-Id")).containsExactly("u1"));
    assertThat(rounds).extracting(RecordedRequest::jsonRpcId).doesNotHaveDuplicates();
    assertThat(rounds.get(0).body()).doesNotContain("requestState");
    assertThat(rounds.subList(1, 5))
        .allSatisfy(
            r ->
                assertThat(r.body())
                    .contains("\"requestState\":\"")
                    .contains("\"inputResponses\":{\"confirm\":{\"action\":\"decline\"}}"));
  }

  @Test
  void inputRequiredQuestionsGoToTheirOwnRunsHandlerAndItsAnswerToTheRetry() throws Exception {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner();
    Agent agent =
        agent(
            calling("confirm", "{\"action\":\"deploy\"}"),
            McpServerSpec.builder("t", server.url()).build());
    int users = 50;
    Map<String, List<InputRequest>> asked = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<RunResult>> results = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String user = "user-" + i;
      boolean accepts = i % 2 == 0;
      InputHandler handler =
          request -> {
            asked
                .computeIfAbsent(user, u -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(request);
            // Answered later, on another thread, as a web service answers its user.
            return java.util.concurrent.CompletableFuture.supplyAsync(
                () -> accepts ? InputResponse.accept(Map.of("ok", true)) : InputResponse.decline(),
                java.util.concurrent.CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
          };
      RunOptions options =
          RunOptions.builder()
              .identity(user)
              .mcpHeaders(McpHeaders.of("X-User-Id", user))
              .inputHandler(handler)
              .build();
      results.add(pool.submit(() -> runner.run(agent, "hi", options)));
    }
    for (int i = 0; i < users; i++) {
      String action = i % 2 == 0 ? "accept" : "decline";
      assertThat(results.get(i).get(2, TimeUnit.MINUTES).finalOutput())
          .isEqualTo("done: " + action + " deploy (state confirm:deploy)");
    }
    pool.shutdown();

    // Each handler was asked exactly once, with its own run's question.
    for (int i = 0; i < users; i++) {
      String user = "user-" + i;
      assertThat(asked.get(user)).as(user).hasSize(1);
      InputRequest request = asked.get(user).get(0);
      assertThat(request.identity()).as(user).contains(user);
      assertThat(request.serverName()).isEqualTo("t");
      assertThat(request.mode()).isEqualTo(InputRequest.Mode.FORM);
      assertThat(request.message()).isEqualTo("Proceed with deploy?");
    }
    // Every retry carried its own user's headers and its own user's answer.
    for (RecordedRequest call : calls(server, "confirm")) {
      assertStateless(call);
      String user = call.headerValues("X-User-Id").get(0);
      int index = Integer.parseInt(user.substring("user-".length()));
      if (call.body().contains("inputResponses")) {
        assertThat(call.body())
            .as(user)
            .contains(
                index % 2 == 0
                    ? "\"inputResponses\":{\"confirm\":{\"action\":\"accept\","
                        + "\"content\":{\"ok\":true}}}"
                    : "\"inputResponses\":{\"confirm\":{\"action\":\"decline\"}}");
      }
    }
    assertThat(calls(server, "confirm")).hasSize(2 * users);
  }

  // ---------------------------------------------------------------- providers (issue 22 items 1,
  // 5)

  @Test
  @Timeout(30)
  void providerThatNeverAnswersFailsTheStatelessRunNamingItAndNothingIsSent() throws Exception {
    EmbeddedMcpServer server = server(Mode.MODERN);
    java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
    McpHeaderProvider hanging =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "hanging";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            try {
              new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
              interrupted.countDown();
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
          }
        };
    McpServerSpec spec =
        McpServerSpec.builder("t", server.url())
            .protocol(McpProtocol.STATELESS)
            .requestTimeout(Duration.ofSeconds(1))
            .build();

    Throwable failure =
        catchThrowable(
            () ->
                runner(hanging)
                    .runAsync(agent(calling("whoami", "{}"), spec), "hi")
                    .get(20, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(failure.getCause())
        .isInstanceOf(io.github.mcprunner.HeaderProviderException.class)
        .hasMessageContaining("'hanging'")
        .hasMessageContaining("'t'")
        .hasMessageContaining("did not answer within PT1S");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the provider was interrupted").isTrue();
    assertThat(server.requests()).as("requests the server received").isEmpty();
  }

  @Test
  void providerSettingContentCodingOrOriginFailsTheStatelessRunClosedAndNothingIsSent() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    for (String name : List.of("Accept-Encoding", "Content-Encoding", "Origin", "Mcp-Method")) {
      McpHeaderProvider coding =
          new McpHeaderProvider() {
            @Override
            public String name() {
              return "coding";
            }

            @Override
            public McpHeaders headers(HeaderContext context) {
              return McpHeaders.of(name, "gzip-forged");
            }
          };
      McpServerSpec spec =
          McpServerSpec.builder("t", server.url()).protocol(McpProtocol.STATELESS).build();

      Throwable failure =
          catchThrowable(() -> runner(coding).run(agent(calling("whoami", "{}"), spec), "hi"));

      assertThat(failure)
          .as(name)
          .isInstanceOf(io.github.mcprunner.HeaderProviderException.class)
          .hasMessageContaining("coding")
          .hasMessageContaining("'" + name + "'")
          .hasMessageNotContaining("gzip-forged");
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void twoAgentsDeclaringOneServerEachSendTheirOwnStaticHeaders() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    SpecsOfOneServer.assertEachAgentSendsItsOwnStaticHeaders(
        runner(),
        server,
        headers -> McpServerSpec.builder("t", server.url()).headers(headers).build());
  }

  // ---------------------------------------------------------------- lost response streams

  /**
   * A scripted 2026-07-28 server on loopback whose one tool, {@code hang}, answers with an event
   * stream that never ends: a comment every 50 ms until the client closes the stream, which {@link
   * #closed} counts (at most 60 s).
   */
  private static final class HangingServer implements AutoCloseable {
    final com.sun.net.httpserver.HttpServer http;
    final ExecutorService threads = Executors.newCachedThreadPool();
    final java.util.concurrent.CountDownLatch called = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    HangingServer() throws IOException {
      http =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(threads);
      http.createContext(
          "/mcp",
          exchange -> {
            try (exchange) {
              Map<String, Object> request =
                  McpJsonDefaults.getMapper()
                      .readValue(exchange.getRequestBody().readAllBytes(), MAP);
              if (!"tools/call".equals(request.get("method"))) {
                byte[] body =
                    ("{\"jsonrpc\":\"2.0\",\"id\":"
                            + request.get("id")
                            + ",\"result\":{\"tools\":[{\"name\":\"hang\",\"inputSchema\":"
                            + "{\"type\":\"object\"}}],\"resultType\":\"complete\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
              }
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              called.countDown();
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
              try {
                while (System.nanoTime() < end) {
                  exchange
                      .getResponseBody()
                      .write(": working\n\n".getBytes(StandardCharsets.UTF_8));
                  exchange.getResponseBody().flush();
                  Thread.sleep(50);
                }
              } catch (IOException e) {
                closed.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      http.start();
    }

    McpServerSpec.Builder spec() {
      return McpServerSpec.builder(
              "hanging-server", "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp")
          .protocol(McpProtocol.STATELESS);
    }

    @Override
    public void close() {
      http.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void cancellingARunClosesItsStatelessResponseStreamAtOnce() throws Exception {
    HangingServer server = track(new HangingServer());
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    java.util.concurrent.CompletableFuture<RunResult> run =
        runner()
            .runAsync(
                agent(
                    calling("hang", "{}"),
                    server.spec().requestTimeout(Duration.ofSeconds(60)).build()),
                "hi",
                RunOptions.builder().cancellation(cancellation).build());
    assertThat(server.called.await(30, TimeUnit.SECONDS))
        .as("the call reached the server")
        .isTrue();

    cancellation.cancel();

    Throwable failure = catchThrowable(() -> run.get(30, TimeUnit.SECONDS));
    assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(io.github.mcprunner.RunCancelledException.class);
    // Closing the response stream is this revision's cancellation: the client closes it when the
    // run is cancelled, not at the 60 s request timeout.
    assertThat(server.closed.await(20, TimeUnit.SECONDS))
        .as("the client closed the response stream")
        .isTrue();
  }

  /**
   * A scripted 2026-07-28 server on loopback: lists one tool, {@code flaky}, and answers the first
   * {@code tools/call} with an event stream it closes before the response; later calls get {@code
   * "ok"}. Records each call's {@code X-Run} header and JSON-RPC id.
   */
  private static final class BreakingServer implements AutoCloseable {
    final com.sun.net.httpserver.HttpServer http;
    final List<String> callHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Object> callIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    BreakingServer() throws IOException {
      http =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext(
          "/mcp",
          exchange -> {
            try (exchange) {
              Map<String, Object> request =
                  McpJsonDefaults.getMapper()
                      .readValue(exchange.getRequestBody().readAllBytes(), MAP);
              Object id = request.get("id");
              String answer;
              if ("tools/list".equals(request.get("method"))) {
                answer =
                    "{\"tools\":[{\"name\":\"flaky\",\"inputSchema\":{\"type\":\"object\"}}],"
                        + "\"ttlMs\":0,\"cacheScope\":\"private\",\"resultType\":\"complete\"}";
              } else {
                callHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Run")));
                callIds.add(String.valueOf(id));
                if (callIds.size() == 1) {
                  exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                  exchange.sendResponseHeaders(200, 0);
                  exchange
                      .getResponseBody()
                      .write(": working\n\n".getBytes(StandardCharsets.UTF_8));
                  return;
                }
                answer =
                    "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"isError\":false,"
                        + "\"resultType\":\"complete\"}";
              }
              byte[] body =
                  ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + answer + "}")
                      .getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      http.start();
    }

    McpServerSpec.Builder spec() {
      return McpServerSpec.builder(
              "flaky-server", "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp")
          .protocol(McpProtocol.STATELESS);
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  /** Every event of {@code stream}, once the run ended (either way). */
  @Test
  void aBrokenResponseStreamIsReissuedOnceAsANewRequest() throws Exception {
    BreakingServer server = track(new BreakingServer());

    RunStream stream =
        runner()
            .runStreamed(
                agent(calling("flaky", "{}"), server.spec().build()),
                "hi",
                McpHeaders.of("X-Run", "r1"));
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(60));
    RunResult result = stream.result().get(60, TimeUnit.SECONDS);

    assertThat(result.finalOutput()).isEqualTo("done: ok");
    assertThat(server.callHeaders).containsExactly("r1", "r1");
    assertThat(server.callIds).hasSize(2).doesNotHaveDuplicates();
    // The run's events tell that the call was sent twice (the tool may have run twice), between
    // the call's start and its end.
    assertThat(events)
        .filteredOn(e -> e instanceof RunEvent.RequestReissued)
        .containsExactly(
            new RunEvent.RequestReissued(stream.runId(), "flaky-server", "tools/call", "flaky"));
    List<Class<?>> order = events.stream().<Class<?>>map(Object::getClass).toList();
    assertThat(order.indexOf(RunEvent.RequestReissued.class))
        .isGreaterThan(order.indexOf(RunEvent.ToolCallStarted.class))
        .isLessThan(order.indexOf(RunEvent.ToolCallFinished.class));
  }

  @Test
  void aBrokenResponseStreamFailsTheRunWhenReissuingIsOff() throws Exception {
    BreakingServer server = track(new BreakingServer());

    RunStream stream =
        runner()
            .runStreamed(
                agent(calling("flaky", "{}"), server.spec().reissueLostRequests(false).build()),
                "hi");
    List<RunEvent> events = RunEvents.of(stream, Duration.ofSeconds(60));
    Throwable error = catchThrowable(() -> stream.result().get(60, TimeUnit.SECONDS));

    assertThat(error)
        .isInstanceOf(java.util.concurrent.ExecutionException.class)
        .cause()
        .isInstanceOf(io.github.mcprunner.McpServerException.class)
        .hasMessageContaining("'flaky-server'")
        .hasMessageContaining("tools/call")
        .hasMessageContaining("response was lost");
    assertThat(server.callIds).hasSize(1);
    assertThat(events).noneMatch(e -> e instanceof RunEvent.RequestReissued);
    assertThat(events).last().isInstanceOf(RunEvent.RunFailed.class);
  }

  // ---------------------------------------------------------------- observation

  /** One observed MCP request: what its start said, its JSON-RPC id and its outcome. */
  private static final class Observed implements io.github.mcprunner.observe.McpRequestObservation {
    final String runId;
    final io.github.mcprunner.observe.McpRequestStart start;
    final String traceparent;
    final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

    Observed(String runId, io.github.mcprunner.observe.McpRequestStart start, int number) {
      this.runId = runId;
      this.start = start;
      this.traceparent = String.format("00-%032x-%016x-01", number + 1, number + 1);
    }

    @Override
    public Map<String, String> meta() {
      return Map.of("traceparent", traceparent);
    }

    @Override
    public void requestSent(String jsonRpcId) {
      sent.add(jsonRpcId);
    }

    @Override
    public void requestSucceeded(boolean toolError) {
      outcomes.add(toolError ? "tool error" : "ok");
    }

    @Override
    public void requestFailed(String errorType, @Nullable Integer jsonRpcErrorCode) {
      outcomes.add("failed " + errorType + " " + jsonRpcErrorCode);
    }
  }

  /** A run observer that records every MCP request of every run, in start order. */
  private static final class RecordingObserver implements io.github.mcprunner.observe.RunObserver {
    final List<Observed> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public io.github.mcprunner.observe.RunObservation runStarted(
        io.github.mcprunner.observe.RunStart run) {
      return new io.github.mcprunner.observe.RunObservation() {
        @Override
        public io.github.mcprunner.observe.ModelTurnObservation modelTurnStarted(int turn) {
          return io.github.mcprunner.observe.ModelTurnObservation.NOOP;
        }

        @Override
        public io.github.mcprunner.observe.McpRequestObservation mcpRequestStarted(
            io.github.mcprunner.observe.McpRequestStart request) {
          synchronized (requests) {
            Observed observed = new Observed(run.runId(), request, requests.size());
            requests.add(observed);
            return observed;
          }
        }

        @Override
        public void runFinished(io.github.mcprunner.model.Usage usage) {}

        @Override
        public void runFailed(Throwable error) {}
      };
    }
  }

  private Runner observedRunner(RecordingObserver observer) {
    return track(
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .discoverObservers(false)
            .transport(transport())
            .observer(observer)
            .build());
  }

  /** Asserts that {@code observed} is the observation of {@code request}, as a session's is. */
  private static void assertObserves(Observed observed, RecordedRequest request, String server) {
    String what = request.toString();
    assertThat(observed.start.method()).as(what).isEqualTo(request.mcpMethod());
    assertThat(observed.start.serverName()).as(what).isEqualTo(server);
    assertThat(observed.start.toolName()).as(what).isEqualTo(request.toolName());
    assertThat(observed.start.protocolVersion()).as(what).isEqualTo(VERSION);
    assertThat(observed.start.sessionId()).as(what).isNull();
    assertThat(observed.sent).as(what).containsExactly(request.jsonRpcId());
    // The observer's trace context went into params._meta, beside the revision's entries.
    assertThat(meta(request)).as(what).containsEntry("traceparent", observed.traceparent);
    assertThat(meta(request).get("io.modelcontextprotocol/protocolVersion")).isEqualTo(VERSION);
  }

  @Test
  void everyStatelessRequestIsObservedWithItsIdOutcomeAndTraceContext() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    RecordingObserver observer = new RecordingObserver();
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("add", "{\"a\":1,\"b\":2}")
            .callTool("confirm", "{\"action\":\"deploy\"}")
            .answer(request -> String.join(" | ", ScriptedModel.toolOutputs(request)))
            .build();

    RunResult result =
        observedRunner(observer)
            .run(agent(model, McpServerSpec.builder("t", server.url()).build()), "hi");

    assertThat(result.finalOutput()).isEqualTo("3 | decline deploy (state confirm:deploy)");
    // AUTO's probe is sent but not observed (on a session server its expected answer is an HTTP
    // error); the list, the call, and both rounds of the multi round-trip call are each one
    // request and one observation, in order.
    List<RecordedRequest> requests = server.requests();
    assertThat(requests)
        .extracting(RecordedRequest::mcpMethod)
        .containsExactly("server/discover", "tools/list", "tools/call", "tools/call", "tools/call");
    List<RecordedRequest> observable = requests.subList(1, requests.size());
    assertThat(observer.requests).hasSameSizeAs(observable);
    for (int i = 0; i < observable.size(); i++) {
      assertObserves(observer.requests.get(i), observable.get(i), "t");
      assertThat(observer.requests.get(i).outcomes)
          .as(observable.get(i).toString())
          .containsExactly("ok");
    }
    assertThat(observer.requests)
        .extracting(o -> o.start.toolName())
        .containsExactly(null, "add", "confirm", "confirm");
    assertThat(meta(requests.get(0))).doesNotContainKey("traceparent");
  }

  @Test
  void concurrentStatelessRunsEachObserveExactlyTheirOwnRequests() throws Exception {
    EmbeddedMcpServer server = server(Mode.MODERN);
    RecordingObserver observer = new RecordingObserver();
    Runner runner = observedRunner(observer);
    Agent agent =
        agent(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .callTool("confirm", "{\"action\":\"deploy\"}")
                .answer(ScriptedModel::lastToolOutput)
                .build(),
            McpServerSpec.builder("t", server.url()).protocol(McpProtocol.STATELESS).build());
    int runs = 40;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<RunResult>> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String nonce = "run-" + i;
      results.add(pool.submit(() -> runner.run(agent, "hi", McpHeaders.of("X-Run-Nonce", nonce))));
    }
    Map<String, String> runIdOfNonce = new java.util.HashMap<>();
    for (int i = 0; i < runs; i++) {
      runIdOfNonce.put("run-" + i, results.get(i).get(2, TimeUnit.MINUTES).runId());
    }
    pool.shutdown();

    // Every request the server received (a list per run at most, a call, two rounds) has exactly
    // one observation, of the run whose headers it carried, whose trace context it carries.
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(runs * 3);
    for (RecordedRequest request : requests) {
      String nonce = request.header("X-Run-Nonce").orElseThrow();
      List<Observed> observing =
          observer.requests.stream().filter(o -> o.sent.contains(request.jsonRpcId())).toList();
      assertThat(observing).as(request.toString()).hasSize(1);
      assertThat(observing.get(0).runId).as(request.toString()).isEqualTo(runIdOfNonce.get(nonce));
      assertObserves(observing.get(0), request, "t");
      assertThat(observing.get(0).outcomes).as(request.toString()).containsExactly("ok");
    }
    assertThat(observer.requests).hasSameSizeAs(requests);
  }

  @Test
  void aReissuedStatelessRequestIsObservedAsARequestOfItsOwn() throws Exception {
    BreakingServer server = track(new BreakingServer());
    RecordingObserver observer = new RecordingObserver();

    RunResult result =
        observedRunner(observer).run(agent(calling("flaky", "{}"), server.spec().build()), "hi");

    assertThat(result.finalOutput()).isEqualTo("done: ok");
    assertThat(observer.requests)
        .extracting(o -> o.start.method() + " " + o.start.toolName())
        .containsExactly("tools/list null", "tools/call flaky", "tools/call flaky");
    assertThat(observer.requests)
        .allSatisfy(o -> assertThat(o.start.protocolVersion()).isEqualTo(VERSION));
    Observed lost = observer.requests.get(1);
    Observed again = observer.requests.get(2);
    assertThat(lost.sent).containsExactly(String.valueOf(server.callIds.get(0)));
    assertThat(again.sent).containsExactly(String.valueOf(server.callIds.get(1)));
    assertThat(lost.outcomes)
        .containsExactly(
            "failed "
                + io.github.mcprunner.core.spi.ResponseLostException.class.getName()
                + " null");
    assertThat(again.outcomes).containsExactly("ok");
  }

  // ---------------------------------------------------------------- the revision's errors

  /**
   * A scripted 2026-07-28 server on loopback: lists one tool, {@code pick}, and answers the n-th
   * {@code tools/call} (from 1) with {@code errorOf.apply(n)} as a JSON-RPC error with HTTP 400, or
   * {@code "ok"} when that is null. Counts the lists and the calls.
   */
  private static final class ErrorServer implements AutoCloseable {
    final com.sun.net.httpserver.HttpServer http;
    final java.util.concurrent.atomic.AtomicInteger lists =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();

    ErrorServer(java.util.function.IntFunction<@Nullable String> errorOf) throws IOException {
      http =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext(
          "/mcp",
          exchange -> {
            try (exchange) {
              Map<String, Object> request =
                  McpJsonDefaults.getMapper()
                      .readValue(exchange.getRequestBody().readAllBytes(), MAP);
              Object id = request.get("id");
              String message;
              int status = 200;
              if ("tools/list".equals(request.get("method"))) {
                lists.incrementAndGet();
                message =
                    "\"result\":{\"tools\":[{\"name\":\"pick\",\"inputSchema\":"
                        + "{\"type\":\"object\"}}],\"ttlMs\":0,\"cacheScope\":\"private\"}";
              } else {
                String error = errorOf.apply(calls.incrementAndGet());
                if (error != null) {
                  status = 400;
                  message = "\"error\":" + error;
                } else {
                  message =
                      "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
                          + "\"isError\":false}";
                }
              }
              byte[] body =
                  ("{\"jsonrpc\":\"2.0\",\"id\":" + id + "," + message + "}")
                      .getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(status, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      http.start();
    }

    McpServerSpec spec() {
      return McpServerSpec.builder(
              "strict", "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp")
          .protocol(McpProtocol.STATELESS)
          .build();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  @Test
  void unsupportedProtocolVersionFailsNamingServerMethodAndTheVersionsOnOffer() throws Exception {
    ErrorServer server =
        track(
            new ErrorServer(
                n ->
                    "{\"code\":-32022,\"message\":\"Unsupported protocol version\","
                        + "\"data\":{\"supported\":[\"2099-01-01\"],"
                        + "\"requested\":\"2026-07-28\"}}"));

    Throwable error =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(calling("pick", "{}"), server.spec()),
                        "hi",
                        McpHeaders.of("Authorization", "Bearer secret-token-value")));

    assertThat(error).isInstanceOf(McpProtocolException.class);
    McpProtocolException protocol = (McpProtocolException) error;
    assertThat(protocol.reason())
        .isEqualTo(McpProtocolException.Reason.UNSUPPORTED_PROTOCOL_VERSION);
    assertThat(protocol.mcpMethod()).isEqualTo("tools/call");
    assertThat(error.getMessage())
        .contains("'strict'")
        .contains("tools/call")
        .contains("[2099-01-01]")
        .doesNotContain("secret-token-value");
  }

  @Test
  void headerMismatchListsTheToolsAgainOnceAndRetries() throws Exception {
    ErrorServer server =
        track(
            new ErrorServer(
                n -> n == 1 ? "{\"code\":-32020,\"message\":\"Header mismatch\"}" : null));

    RunResult result = runner().run(agent(calling("pick", "{}"), server.spec()), "hi");

    assertThat(result.finalOutput()).isEqualTo("done: ok");
    assertThat(server.lists).hasValue(2);
    assertThat(server.calls).hasValue(2);
  }

  @Test
  void aSecondHeaderMismatchFailsTheRunNamingTheReason() throws Exception {
    ErrorServer server =
        track(new ErrorServer(n -> "{\"code\":-32020,\"message\":\"Header mismatch\"}"));

    Throwable error =
        catchThrowable(() -> runner().run(agent(calling("pick", "{}"), server.spec()), "hi"));

    assertThat(error).isInstanceOf(McpProtocolException.class);
    assertThat(((McpProtocolException) error).reason())
        .isEqualTo(McpProtocolException.Reason.HEADER_MISMATCH);
    assertThat(error.getMessage()).contains("'strict'").contains("tools/call");
    assertThat(server.calls).hasValue(2);
  }

  @Test
  void aStatelessRequestsFailureIsObservedWithItsErrorCodeOrHttpStatus() throws Exception {
    ErrorServer refusing =
        track(new ErrorServer(n -> "{\"code\":-32603,\"message\":\"Internal error\"}"));
    EmbeddedMcpServer unavailable = server(Mode.MODERN);
    RecordingObserver observer = new RecordingObserver();
    Runner runner = observedRunner(observer);

    // A JSON-RPC error answering a call (the model sees a failed tool): its code, as the session
    // protocol reports one.
    RunResult refused = runner.run(agent(calling("pick", "{}"), refusing.spec()), "hi");
    // An HTTP status without a JSON-RPC error: the status.
    unavailable.failNextRequests(1, 503);
    Throwable error =
        catchThrowable(
            () ->
                runner.run(
                    agent(
                        calling("whoami", "{}"),
                        McpServerSpec.builder("down", unavailable.url())
                            .protocol(McpProtocol.STATELESS)
                            .build()),
                    "hi"));

    assertThat(refused.toolResults())
        .singleElement()
        .satisfies(r -> assertThat(r.error()).isTrue());
    assertThat(error).isInstanceOf(io.github.mcprunner.McpServerException.class);
    assertThat(observer.requests)
        .extracting(o -> o.start.serverName() + " " + o.start.method() + " " + o.outcomes)
        .containsExactly(
            "strict tools/list [ok]",
            "strict tools/call [failed -32603 -32603]",
            "down tools/list [failed 503 null]");
    assertThat(observer.requests).allSatisfy(o -> assertThat(o.sent).hasSize(1));
  }

  // ---------------------------------------------------------------- cacheable lists

  @Test
  void aPublicToolListServesEveryIdentityAPrivateOneOnlyItsOwn() {
    EmbeddedMcpServer shared =
        track(
            EmbeddedMcpServer.builder()
                .mode(Mode.MODERN)
                .defaultTools()
                .toolListCaching(Duration.ofMinutes(5), true)
                .start());
    EmbeddedMcpServer own =
        track(
            EmbeddedMcpServer.builder()
                .mode(Mode.MODERN)
                .defaultTools()
                .toolListCaching(Duration.ofMinutes(5), false)
                .start());
    Runner runner = runner();
    Agent agent =
        agent(
            ScriptedModel.answering("ok"),
            McpServerSpec.builder("shared", shared.url()).toolFilter("add"::equals).build(),
            McpServerSpec.builder("own", own.url()).toolFilter("whoami"::equals).build());

    for (String user : List.of("u1", "u2", "u1", "u2")) {
      runner.run(agent, "hi", RunOptions.builder().identity(user).build());
    }

    assertThat(shared.requests().stream().filter(r -> "tools/list".equals(r.mcpMethod())))
        .as("a public list is listed once for every identity")
        .hasSize(1);
    List<RecordedRequest> ownLists =
        own.requests().stream().filter(r -> "tools/list".equals(r.mcpMethod())).toList();
    assertThat(ownLists).as("a private list is listed once per identity").hasSize(2);
  }

  @Test
  void aToolListWithoutTimeToLiveIsListedForEveryRun() {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner();
    Agent agent =
        agent(ScriptedModel.answering("ok"), McpServerSpec.builder("t", server.url()).build());

    runner.run(agent, "hi");
    runner.run(agent, "hi");

    assertThat(server.requests().stream().filter(r -> "tools/list".equals(r.mcpMethod())))
        .hasSize(2);
  }

  // ---------------------------------------------------------------- both eras, many runs

  @Test
  void oneAgentWithAStatelessAndASessionServerSendsEachRunsHeadersToBoth() {
    EmbeddedMcpServer modern =
        track(
            EmbeddedMcpServer.builder()
                .mode(Mode.MODERN)
                .tool("lookup", "Looks up", "{\"type\":\"object\"}", (args, r) -> "found")
                .start());
    EmbeddedMcpServer sessions = server(Mode.STATEFUL);
    Runner runner = runner();
    Agent agent =
        agent(
            ScriptedModel.builder()
                .callTool("lookup", "{}")
                .callTool("whoami", "{}")
                .answer(request -> String.join(" | ", ScriptedModel.toolOutputs(request)))
                .build(),
            McpServerSpec.builder("modern", modern.url()).build(),
            McpServerSpec.builder("sessions", sessions.url()).build());

    for (String tenant : List.of("acme", "globex")) {
      RunResult result = runner.run(agent, "hi", McpHeaders.of("X-Tenant-Id", tenant));
      assertThat(result.finalOutput()).startsWith("found | ").contains(tenant);
    }
    runner.close();

    assertThat(modern.requests()).allSatisfy(StatelessContractTest::assertStateless);
    assertThat(sessions.requests()).extracting(RecordedRequest::mcpMethod).contains("initialize");
    for (EmbeddedMcpServer server : List.of(modern, sessions)) {
      for (RecordedRequest request : server.requests()) {
        if ("tools/call".equals(request.mcpMethod()) || "tools/list".equals(request.mcpMethod())) {
          assertThat(request.headerValues("X-Tenant-Id"))
              .as(request.toString())
              .hasSize(1)
              .first()
              .isIn("acme", "globex");
        }
      }
      List<String> tenantsOfCalls =
          server.requests().stream()
              .filter(r -> "tools/call".equals(r.mcpMethod()))
              .map(r -> r.header("X-Tenant-Id").orElse("?"))
              .toList();
      assertThat(tenantsOfCalls).containsExactly("acme", "globex");
    }
  }

  @Test
  void concurrentRunsNeverSendAnotherRunsHeadersToAStatelessServer() throws Exception {
    EmbeddedMcpServer server = server(Mode.MODERN);
    Runner runner = runner();
    Agent agent =
        agent(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .callTool("echo_headers", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build(),
            McpServerSpec.builder("t", server.url()).build());
    int runs = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<RunResult>> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String nonce = "run-" + i;
      results.add(
          pool.submit(
              () ->
                  runner.run(
                      agent,
                      "hi",
                      McpHeaders.of("X-Run-Nonce", nonce, "Authorization", "Bearer " + nonce))));
    }
    for (int i = 0; i < runs; i++) {
      assertThat(results.get(i).get(2, TimeUnit.MINUTES).finalOutput()).contains("run-" + i + "\"");
    }
    pool.shutdown();

    int checked = 0;
    for (RecordedRequest request : server.requests()) {
      assertStateless(request);
      @Nullable String nonce = request.header("X-Run-Nonce").orElse(null);
      assertThat(request.headerValues("X-Run-Nonce")).as(request.toString()).hasSize(1);
      assertThat(request.headerValues("Authorization"))
          .as(request.toString())
          .containsExactly("Bearer " + nonce);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(runs * 3);
  }
}
