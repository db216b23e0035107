package io.github.mcprunner.testkit;

import static io.github.mcprunner.testkit.McpClients.call;
import static io.github.mcprunner.testkit.McpClients.json;
import static io.github.mcprunner.testkit.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every mode of {@link EmbeddedMcpServer} must do, checked with the MCP SDK's own client over
 * real sockets. One server per test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractEmbeddedMcpServerTest {

  static final List<String> DEFAULT_TOOLS =
      List.of("whoami", "echo_headers", "add", "list_tickets", "big_text", "progress", "block");

  EmbeddedMcpServer server;
  private final ThreadLocal<String> currentUser = ThreadLocal.withInitial(() -> "nobody");

  abstract EmbeddedMcpServer.Mode mode();

  @BeforeAll
  void startServer() {
    server =
        EmbeddedMcpServer.builder()
            .mode(mode())
            .defaultTools()
            .tool(
                "greet",
                "Greets someone on behalf of the caller's tenant.",
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                    + "\"required\":[\"name\"]}",
                (args, request) ->
                    "Hello "
                        + args.get("name")
                        + " from "
                        + request.header("x-tenant-id").orElse("nobody"))
            .tool(
                "fail",
                "Always fails.",
                "{\"type\":\"object\",\"properties\":{}}",
                (args, request) -> {
                  throw new IllegalStateException("fail always fails");
                })
            .start();
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @BeforeEach
  void resetServer() {
    server.setRequestDelay(Duration.ZERO);
    server.failNextRequests(0, 500);
    server.clearRequests();
  }

  @Test
  void urlPointsAtTheModesEndpointOnLoopback() {
    assertThat(server.baseUri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(server.port()).isPositive();
    assertThat(server.url().getPath())
        .isEqualTo(mode() == EmbeddedMcpServer.Mode.SSE ? "/sse" : "/mcp");
  }

  @Test
  void initializeListAndCallWork() {
    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("mcp-runner-embedded-server");

      List<String> names = new ArrayList<>();
      client.listTools().tools().forEach(tool -> names.add(tool.name()));
      assertThat(names).containsAll(DEFAULT_TOOLS).contains("greet", "fail");

      McpSchema.CallToolResult sum = call(client, "add", Map.of("a", 1, "b", 2));
      assertThat(sum.isError()).isFalse();
      assertThat(text(sum)).isEqualTo("3");
      assertThat(text(call(client, "add", Map.of("a", 1.5, "b", 2)))).isEqualTo("3.5");
    }
  }

  @Test
  void everyRequestIsRecordedWithItsHeaders() throws Exception {
    // A server of its own: no request of another test's client can arrive meanwhile.
    try (EmbeddedMcpServer own = EmbeddedMcpServer.builder().mode(mode()).defaultTools().start()) {
      try (McpSyncClient client = McpClients.client(own, Map.of("X-Test-Trace", "trace-42"))) {
        client.initialize();
        call(client, "whoami", Map.of());
      }
      if (mode() == EmbeddedMcpServer.Mode.STATEFUL) {
        assertThat(own.awaitRequest(r -> r.httpMethod().equals("DELETE"), Duration.ofSeconds(20)))
            .isPresent();
      }

      List<RecordedRequest> requests = own.requests();
      assertThat(requests)
          .allSatisfy(r -> assertThat(r.header("x-test-trace")).contains("trace-42"));
      assertThat(requests)
          .filteredOn(r -> r.httpMethod().equals("POST"))
          .extracting(RecordedRequest::mcpMethod)
          .contains("initialize", "notifications/initialized", "tools/call");
      if (mode() != EmbeddedMcpServer.Mode.STATELESS) {
        assertThat(requests).anySatisfy(r -> assertThat(r.httpMethod()).isEqualTo("GET"));
      }

      // In SSE mode the POST is answered after the result went out on the event stream.
      RecordedRequest toolCall =
          own.awaitRequest(r -> r.isToolCall("whoami") && r.status() != 0, Duration.ofSeconds(20))
              .orElseThrow();
      assertThat(toolCall.status()).isEqualTo(200);
      assertThat(toolCall.jsonRpcId()).isNotNull();
      assertThat(toolCall.body()).contains("\"whoami\"");
      assertThat(toolCall.headerValues("X-TEST-TRACE")).containsExactly("trace-42");
      assertThat(toolCall.headers().keySet())
          .anyMatch(name -> name.equalsIgnoreCase("X-Test-Trace"));
      assertThat(toolCall.toString()).doesNotContain("trace-42");

      RecordedRequest notification =
          requests.stream()
              .filter(r -> "notifications/initialized".equals(r.mcpMethod()))
              .findFirst()
              .orElseThrow();
      assertThat(notification.jsonRpcId()).isNull();
      assertThat(notification.toolName()).isNull();
    }
  }

  @Test
  void whoamiAnswersFromTheRequestThatCarriedTheCall() throws Exception {
    Map<String, String> headers =
        Map.of("Authorization", "Bearer t-1", "X-User-Id", "u-1", "X-Tenant-Id", "acme");
    try (McpSyncClient client = McpClients.client(server, headers)) {
      client.initialize();
      Map<String, Object> who = json(text(call(client, "whoami", Map.of())));

      assertThat(who)
          .containsEntry("authorization", "Bearer t-1")
          .containsEntry("userId", "u-1")
          .containsEntry("tenantId", "acme");
      RecordedRequest recorded =
          server.requests().stream().filter(r -> r.isToolCall("whoami")).findFirst().orElseThrow();
      assertThat(who.get("sessionId")).isEqualTo(recorded.sessionId());
      if (mode() == EmbeddedMcpServer.Mode.STATELESS) {
        assertThat(recorded.sessionId()).isNull();
      } else {
        assertThat(recorded.sessionId()).isNotBlank();
      }
    }
  }

  @Test
  void echoHeadersAnswersEveryHeaderWithLowerCaseNames() throws Exception {
    try (McpSyncClient client = McpClients.client(server, Map.of("X-Custom-Thing", "v1"))) {
      client.initialize();
      Map<String, Object> echoed = json(text(call(client, "echo_headers", Map.of())));

      assertThat(echoed).containsEntry("x-custom-thing", "v1").containsKey("content-type");
      assertThat(echoed.keySet()).allMatch(name -> name.equals(name.toLowerCase()));
    }
  }

  @Test
  void concurrentCallsEachSeeTheirOwnHeaders() throws Exception {
    int calls = 16;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (McpSyncClient client =
        McpClients.client(
            server,
            Map.of(),
            spec ->
                spec.transportContextProvider(
                    () -> McpClients.context(Map.of("X-User-Id", currentUser.get()))))) {
      currentUser.set("init");
      client.initialize();
      List<Future<Map<String, Object>>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String user = "user-" + i;
        answers.add(
            pool.submit(
                () -> {
                  currentUser.set(user);
                  return json(text(call(client, "whoami", Map.of())));
                }));
      }
      for (int i = 0; i < calls; i++) {
        assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).containsEntry("userId", "user-" + i);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.requests())
        .filteredOn(r -> r.isToolCall("whoami"))
        .hasSize(calls)
        .extracting(r -> r.header("X-User-Id").orElseThrow())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, calls).mapToObj(i -> "user-" + i).toList());
  }

  @Test
  void listTicketsAnswersTheCallersTenantAndFiltersByStatus() throws Exception {
    try (McpSyncClient client = McpClients.client(server, Map.of("X-Tenant-Id", "acme"))) {
      client.initialize();
      Map<String, Object> all = json(text(call(client, "list_tickets", Map.of())));
      Map<String, Object> open = json(text(call(client, "list_tickets", Map.of("status", "open"))));

      assertThat(all).containsEntry("tenant", "acme");
      assertThat((List<?>) all.get("tickets")).hasSize(3);
      assertThat((List<?>) open.get("tickets"))
          .hasSize(2)
          .allSatisfy(t -> assertThat(((Map<?, ?>) t).get("status")).isEqualTo("open"));
      assertThat(all.get("tickets").toString()).contains("ACME-1");
    }
    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      client.initialize();
      McpSchema.CallToolResult noTenant = call(client, "list_tickets", Map.of());
      assertThat(noTenant.isError()).isTrue();
      assertThat(text(noTenant)).contains("X-Tenant-Id");
    }
  }

  @Test
  void customToolsGetTheirArgumentsAndHeadersAndErrorsBecomeToolErrors() {
    try (McpSyncClient client = McpClients.client(server, Map.of("X-Tenant-Id", "globex"))) {
      client.initialize();
      assertThat(text(call(client, "greet", Map.of("name", "Ann"))))
          .isEqualTo("Hello Ann from globex");
      McpSchema.CallToolResult failed = call(client, "fail", Map.of());
      assertThat(failed.isError()).isTrue();
      assertThat(text(failed)).isEqualTo("fail always fails");
    }
  }

  @Test
  void bigTextOfFiveMegabytesArrivesIntact() {
    int bytes = 5 * 1024 * 1024;
    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      client.initialize();
      String unicode = text(call(client, "big_text", Map.of("bytes", bytes, "unicode", true)));
      String ascii = text(call(client, "big_text", Map.of("bytes", bytes)));

      assertThat(unicode.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
      assertThat(unicode).isEqualTo(EmbeddedMcpServer.bigText(bytes, true)).contains("é€😀");
      assertThat(ascii.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
      assertThat(ascii).isEqualTo(EmbeddedMcpServer.bigText(bytes, false));
    }
  }

  @Test
  void blockWaitsUntilReleased() throws Exception {
    try (McpSyncClient client = McpClients.client(server, Map.of())) {
      client.initialize();
      CompletableFuture<McpSchema.CallToolResult> blocked =
          CompletableFuture.supplyAsync(() -> call(client, "block", Map.of()));

      assertThat(server.awaitBlockedCalls(1, Duration.ofSeconds(20))).isTrue();
      assertThat(blocked).isNotDone();
      assertThat(server.blockedCalls()).isEqualTo(1);
      server.releaseBlocked();

      assertThat(text(blocked.get(20, TimeUnit.SECONDS))).isEqualTo("released");
      assertThat(server.blockedCalls()).isZero();
    }
  }

  @Test
  void progressSendsItsNotificationsBeforeTheResult() throws Exception {
    List<String> logs = new CopyOnWriteArrayList<>();
    List<Double> progress = new CopyOnWriteArrayList<>();
    CountDownLatch notifications = new CountDownLatch(6);
    try (McpSyncClient client =
        McpClients.client(
            server,
            Map.of(),
            spec ->
                spec.loggingConsumer(
                        log -> {
                          logs.add(log.data());
                          notifications.countDown();
                        })
                    .progressConsumer(
                        p -> {
                          progress.add(p.progress());
                          notifications.countDown();
                        }))) {
      client.initialize();
      McpSchema.CallToolResult result =
          client.callTool(
              McpSchema.CallToolRequest.builder("progress")
                  .arguments(Map.of("steps", 3))
                  .progressToken("tok-1")
                  .build());

      assertThat(text(result)).isEqualTo("completed 3 steps");
      if (mode() == EmbeddedMcpServer.Mode.STATELESS) {
        assertThat(logs).isEmpty();
        assertThat(progress).isEmpty();
      } else {
        // The SDK client hands notifications to its consumers asynchronously, in no fixed order.
        assertThat(notifications.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(logs).containsExactlyInAnyOrder("step 1 of 3", "step 2 of 3", "step 3 of 3");
        assertThat(progress).containsExactlyInAnyOrder(1.0, 2.0, 3.0);
      }
    }
  }

  @Test
  void failNextRequestsAnswersTheNextPostsWithTheStatusAndRecordsThem() throws Exception {
    server.failNextRequests(2, 503);
    String body = McpClients.initializeBody();
    Map<String, String> probe = Map.of("X-Probe", "fail-next");
    assertThat(McpClients.post(postUri(), body, probe).statusCode()).isEqualTo(503);
    assertThat(McpClients.post(postUri(), body, probe).statusCode()).isEqualTo(503);
    assertThat(McpClients.post(postUri(), body, probe).statusCode()).isNotEqualTo(503);

    assertThat(server.requests())
        .filteredOn(r -> r.header("X-Probe").isPresent())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.mcpMethod()).isEqualTo("initialize"))
        .extracting(RecordedRequest::status)
        .startsWith(503, 503);
  }

  @Test
  void failNextRequestsWith401CarriesAChallenge() throws Exception {
    server.failNextRequests(1, 401);
    var response = McpClients.post(postUri(), McpClients.initializeBody(), Map.of());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer error=\"invalid_token\""));
  }

  @Test
  void requestDelayHoldsPostsBackUntilTheClientGivesUp() throws Exception {
    server.setRequestDelay(Duration.ofSeconds(30));
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(postUri())
            .timeout(Duration.ofMillis(300))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("X-Probe", "delayed")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(McpClients.initializeBody()))
            .build();

    assertThatThrownBy(
            () ->
                java.net.http.HttpClient.newHttpClient()
                    .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.net.http.HttpTimeoutException.class);
    assertThat(server.requests())
        .filteredOn(r -> r.header("X-Probe").isPresent())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isZero());

    server.setRequestDelay(Duration.ZERO);
    assertThat(
            server.awaitRequest(
                r -> r.header("X-Probe").isPresent() && r.status() != 0, Duration.ofSeconds(20)))
        .isPresent();
    assertThat(McpClients.post(postUri(), McpClients.initializeBody(), Map.of()).statusCode())
        .isLessThan(500);
  }

  /** Where a client POSTs before it has a session: the message endpoint needs one in SSE mode. */
  java.net.URI postUri() {
    return server.baseUri().resolve(mode() == EmbeddedMcpServer.Mode.SSE ? "/message" : "/mcp");
  }
}
