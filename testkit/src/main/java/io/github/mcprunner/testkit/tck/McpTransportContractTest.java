package io.github.mcprunner.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mcprunner.Agent;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpUnauthorizedException;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.RunnerBuilder;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.OutgoingRequest;
import io.github.mcprunner.core.spi.RequestHeaderSource;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.StreamableHttpTransports;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.EmbeddedMcpServer.Mode;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every MCP transport of mcp-runner passes: extend it in the transport module's tests,
 * return the transport's factory from {@link #transport()}, and run it.
 *
 * <pre>{@code
 * class OkHttpTransportContractTest extends McpTransportContractTest {
 *   @Override
 *   protected McpTransportFactory transport() {
 *     return new OkHttpTransportFactory();
 *   }
 * }
 * }</pre>
 *
 * <p>Most tests drive the real runner ({@code Runners.builder().transport(factory)
 * .discoverTransports(false)}) with a {@link ScriptedModel} against {@link EmbeddedMcpServer} in
 * its three modes (Streamable HTTP with and without sessions, legacy HTTP+SSE) and assert what the
 * server recorded, request by request; a few talk to the transport directly through the MCP SDK
 * client to check the SPI contract ({@link RequestHeaderSource} asked once per HTTP request, with
 * the request's method and tool; nothing sent when it throws). Loopback only: a second loopback
 * server plays the other origin of a redirect, loopback sockets play dead servers.
 *
 * <p>What it checks: initialize, list and call work; every request (POST, the GET stream, DELETE)
 * carries exactly the resolved headers; protocol headers are the transport's own, sent once;
 * per-run headers never cross between concurrent runs; sensitive headers never reach another origin
 * on a redirect; a 401 asks the providers once and is retried once; SSE answers of many events; the
 * event stream, re-opened with {@code Last-Event-ID} when the transport says it resumes ({@link
 * #resumesEventStreams()}); an SSE answer stream that ends before the response resumed after the
 * server's {@code retry} with a GET carrying {@code Last-Event-ID} and the run's headers, a bounded
 * number of times (SEP-1699, against a scripted loopback server); connect, read and per-call
 * timeouts, refused connections and a server killed mid-call fail with an {@link
 * McpServerException} naming the server and its URL, without hanging; an answer stream held open
 * after the response is let go of at the request timeout; 5 MiB of unicode arrives intact; close
 * sends DELETE, and so does the end of a {@code PER_RUN} run, cancelled while its session opened or
 * interrupted mid-call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class McpTransportContractTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Header names HTTP clients and the MCP protocol add by themselves; not resolved headers. */
  private static final Set<String> TRANSPORT_OWN =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "accept",
          "accept-encoding",
          "connection",
          "user-agent",
          "upgrade",
          "http2-settings",
          "transfer-encoding",
          "cache-control",
          "mcp-session-id",
          "mcp-protocol-version",
          "mcp-method",
          "mcp-name",
          "last-event-id");

  private final List<Runner> runners = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Returns the factory of the transport under test; called once per runner the suite builds. */
  protected abstract McpTransportFactory transport();

  /**
   * Returns whether the transport re-opens a Streamable HTTP GET event stream that the server
   * ended, with {@code Last-Event-ID} set to the last event id it received. Defaults to false: the
   * suite then only checks that any {@code Last-Event-ID} it sends is well-formed.
   */
  protected boolean resumesEventStreams() {
    return false;
  }

  /**
   * Returns the start of the {@code User-Agent} the transport's HTTP client sends, to check that
   * the requests came from the transport under test; null to skip the check.
   */
  protected @Nullable String userAgentPrefix() {
    return null;
  }

  @AfterEach
  void closeEverything() {
    for (Runner runner : runners) {
      runner.close();
    }
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // Best effort: the next test starts its own servers.
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Returns a runner on the transport under test only, with the given providers only. */
  protected final Runner runner(McpHeaderProvider... providers) {
    RunnerBuilder builder =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(transport());
    for (McpHeaderProvider provider : providers) {
      builder.headerProvider(provider);
    }
    Runner runner = builder.build();
    runners.add(runner);
    return runner;
  }

  /** Starts an embedded server with the default tools in {@code mode}, closed after the test. */
  protected final EmbeddedMcpServer server(Mode mode) {
    return track(EmbeddedMcpServer.builder().mode(mode).defaultTools().start());
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Returns a spec named {@code tickets} for {@code server}, with the kind its mode needs. */
  protected static McpServerSpec.Builder spec(EmbeddedMcpServer server) {
    return spec("tickets", server.url(), server.mode());
  }

  /**
   * The session protocol, chosen explicitly: this suite is about it (the scripted loopback servers
   * answer any POST, a probe included). {@link StatelessContractTest} covers {@code AUTO}.
   */
  private static McpServerSpec.Builder spec(String name, URI url, Mode mode) {
    return McpServerSpec.builder(name, url)
        .protocol(McpProtocol.SESSIONS)
        .transportKind(mode == Mode.SSE ? TransportKind.SSE : TransportKind.STREAMABLE_HTTP);
  }

  private static Agent agent(ScriptedModel model, McpServerSpec server) {
    return Agent.builder("support").instructions("Help.").model(model).mcpServer(server).build();
  }

  private static ScriptedModel calling(String tool, String arguments) {
    return ScriptedModel.builder()
        .callTool(tool, arguments)
        .answer(request -> "done: " + ScriptedModel.lastToolOutput(request))
        .build();
  }

  private static String describe(RecordedRequest request) {
    return request.httpMethod()
        + " "
        + request.path()
        + (request.mcpMethod() == null ? "" : " " + request.mcpMethod());
  }

  /** The lower-case names of the headers a request carried beyond the transport's own. */
  private static Set<String> resolvedNames(RecordedRequest request) {
    Set<String> names = new java.util.TreeSet<>();
    for (String name : request.headers().keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TRANSPORT_OWN.contains(lower)) {
        names.add(lower);
      }
    }
    return names;
  }

  private void assertFromThisTransport(List<RecordedRequest> requests) {
    String prefix = userAgentPrefix();
    if (prefix == null) {
      return;
    }
    for (RecordedRequest request : requests) {
      assertThat(request.header("User-Agent"))
          .as("User-Agent of " + describe(request))
          .hasValueSatisfying(agent -> assertThat(agent).startsWith(prefix));
    }
  }

  private static List<Throwable> causes(@Nullable Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < 16; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static void awaitRequest(
      EmbeddedMcpServer server, Predicate<RecordedRequest> matching, String what)
      throws InterruptedException {
    assertThat(server.awaitRequest(matching, WAIT)).as(what).isPresent();
  }

  private static Predicate<RecordedRequest> isGet() {
    return r -> "GET".equals(r.httpMethod()) && r.status() != 0;
  }

  private static long count(EmbeddedMcpServer server, Predicate<RecordedRequest> matching) {
    return server.requests().stream().filter(matching).count();
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

  // ---------------------------------------------------------------- basics

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void initializeListAndCallWork(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    ScriptedModel model =
        ScriptedModel.builder()
            .callTool("add", "{\"a\":20,\"b\":22}")
            .callTool("whoami", "{}")
            .answer(request -> String.join(" | ", ScriptedModel.toolOutputs(request)))
            .build();

    RunResult result =
        runner().run(agent(model, spec(server).build()), "hi", McpHeaders.of("X-User-Id", "u1"));

    assertThat(result.toolResults()).extracting(RunItem.ToolResultItem::error).containsOnly(false);
    assertThat(result.finalOutput()).startsWith("42 | ").contains("u1");
    assertThat(server.requests())
        .extracting(RecordedRequest::mcpMethod)
        .contains("initialize", "notifications/initialized", "tools/list", "tools/call");
    assertFromThisTransport(server.requests());
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void everyRequestCarriesExactlyTheResolvedHeaders(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    Runner runner = runner(methodEcho());
    McpServerSpec tickets = spec(server).headers(McpHeaders.of("X-Static", "s")).build();

    runner.run(
        agent(calling("whoami", "{}"), tickets),
        "hi",
        McpHeaders.of("Authorization", "Bearer u1-token", "X-Tenant-Id", "acme"));
    if (mode != Mode.STATELESS) {
      awaitRequest(server, isGet(), "the event stream (GET) was opened");
    }
    runner.close();
    if (mode == Mode.STATEFUL) {
      awaitRequest(server, r -> "DELETE".equals(r.httpMethod()), "the session was deleted");
    }

    List<RecordedRequest> requests = server.requests();
    assertThat(requests).extracting(RecordedRequest::httpMethod).contains("POST");
    for (RecordedRequest request : requests) {
      String what = describe(request);
      assertThat(resolvedNames(request))
          .as("resolved headers of " + what)
          .containsExactlyInAnyOrder("x-static", "authorization", "x-tenant-id", "x-mcp-call");
      assertThat(request.headerValues("X-Static")).as(what).containsExactly("s");
      assertThat(request.headerValues("Authorization")).as(what).containsExactly("Bearer u1-token");
      assertThat(request.headerValues("X-Tenant-Id")).as(what).containsExactly("acme");
      String expectedCall =
          "POST".equals(request.httpMethod()) && request.mcpMethod() != null
              ? request.mcpMethod()
              : "none";
      assertThat(request.headerValues("X-Mcp-Call")).as(what).containsExactly(expectedCall);
    }
    assertFromThisTransport(requests);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void protocolHeadersAreTheTransportsOwnAndSentOnce(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    Runner runner = runner();
    runner.run(
        agent(calling("whoami", "{}"), spec(server).build()),
        "hi",
        McpHeaders.of("X-User-Id", "u1"));
    if (mode != Mode.STATELESS) {
      awaitRequest(server, isGet(), "the event stream (GET) was opened");
    }
    runner.close();

    String sessionId = null;
    for (RecordedRequest request : server.requests()) {
      String what = describe(request);
      for (String name :
          List.of(
              "Host",
              "Content-Type",
              "Content-Length",
              "Accept",
              "Cache-Control",
              "Mcp-Session-Id",
              "MCP-Protocol-Version",
              "Last-Event-ID")) {
        assertThat(request.headerValues(name)).as(name + " of " + what).hasSizeLessThanOrEqualTo(1);
      }
      if ("POST".equals(request.httpMethod())) {
        assertThat(request.header("Content-Type"))
            .as(what)
            .hasValueSatisfying(
                type -> assertThat(type.toLowerCase(Locale.ROOT)).startsWith("application/json"));
      }
      if (mode == Mode.SSE) {
        if ("GET".equals(request.httpMethod())) {
          assertThat(request.header("Accept")).as(what).contains("text/event-stream");
        }
        continue;
      }
      assertThat(request.header("MCP-Protocol-Version")).as(what).isPresent();
      if ("POST".equals(request.httpMethod())) {
        assertThat(request.header("Accept"))
            .as(what)
            .hasValueSatisfying(
                accept ->
                    assertThat(accept).contains("application/json").contains("text/event-stream"));
      } else if ("GET".equals(request.httpMethod())) {
        assertThat(request.header("Accept")).as(what).contains("text/event-stream");
      }
      if (mode == Mode.STATEFUL) {
        if ("initialize".equals(request.mcpMethod())) {
          assertThat(request.sessionId()).as(what).isNull();
        } else {
          assertThat(request.sessionId()).as(what).isNotNull();
          if (sessionId == null) {
            sessionId = request.sessionId();
          }
          assertThat(request.sessionId()).as(what).isEqualTo(sessionId);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void providerSettingAProtocolHeaderFailsClosedAndNothingIsSent(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    McpHeaderProvider forging =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "forging";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return McpHeaders.of("Mcp-Session-Id", "forged-session");
          }
        };

    assertThatThrownBy(
            () -> runner(forging).run(agent(calling("whoami", "{}"), spec(server).build()), "hi"))
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("forging")
        .hasMessageContaining("tickets")
        .hasMessageNotContaining("forged-session");
    assertThat(server.requests()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void providerSettingContentCodingOrOriginFailsClosedAndNothingIsSent(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    for (String name : List.of("Accept-Encoding", "Content-Encoding", "Origin")) {
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

      assertThatThrownBy(
              () -> runner(coding).run(agent(calling("whoami", "{}"), spec(server).build()), "hi"))
          .as(name)
          .isInstanceOf(HeaderProviderException.class)
          .hasMessageContaining("coding")
          .hasMessageContaining("'" + name + "'")
          .hasMessageNotContaining("gzip-forged");
    }
    assertThat(server.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- hanging providers

  /**
   * A provider whose {@code headers()} blocks until interrupted, for requests of {@code method}
   * ({@code null}: every request); it counts the interrupts it saw.
   */
  private static final class HangingProvider implements McpHeaderProvider {
    private final @Nullable String method;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);

    HangingProvider(@Nullable String method) {
      this.method = method;
    }

    @Override
    public String name() {
      return "hanging";
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      if (method == null || method.equals(context.mcpMethod().orElse(null))) {
        entered.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
      }
      return McpHeaders.of("X-Hanging", "answered");
    }
  }

  private static McpServerSpec shortTimeouts(EmbeddedMcpServer server) {
    return spec(server)
        .initializeTimeout(Duration.ofSeconds(1))
        .requestTimeout(Duration.ofSeconds(1))
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  @Timeout(30)
  void providerThatNeverAnswersFailsTheRunNamingItAtTheDeadlineAndNothingIsSent(Mode mode)
      throws Exception {
    EmbeddedMcpServer server = server(mode);
    HangingProvider hanging = new HangingProvider(null);
    Runner runner = runner(hanging);

    CompletableFuture<RunResult> run =
        runner.runAsync(agent(calling("whoami", "{}"), shortTimeouts(server)), "hi");
    Throwable failure = catchThrowable(() -> run.get(20, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause())
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("'hanging'")
        .hasMessageContaining("'tickets'")
        .hasMessageContaining("did not answer within PT1S");
    assertThat(hanging.interrupted.await(5, TimeUnit.SECONDS))
        .as("the provider's thread was interrupted")
        .isTrue();
    assertThat(server.requests()).as("requests the server received").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  @Timeout(30)
  void providerThatNeverAnswersAToolCallIsBlamedNotTheServer(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    HangingProvider hanging = new HangingProvider("tools/call");
    // The session must open before the call hangs: a 1 s initialize timeout (the HTTP client's
    // start and the handshake's round trips) can fire on a loaded machine and blame the server.
    McpServerSpec opensPatiently =
        spec(server)
            .initializeTimeout(Duration.ofSeconds(20))
            .requestTimeout(Duration.ofSeconds(1))
            .build();

    Throwable failure =
        catchThrowable(
            () ->
                runner(hanging)
                    .runAsync(agent(calling("whoami", "{}"), opensPatiently), "hi")
                    .get(20, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause())
        .isInstanceOf(HeaderProviderException.class)
        .hasMessageContaining("'hanging'")
        .hasMessageContaining("did not answer within PT1S");
    assertThat(hanging.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.requests())
        .extracting(RecordedRequest::mcpMethod)
        .doesNotContain("tools/call");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  @Timeout(30)
  void cancellingARunWaitingForAProviderEndsItAtOnce(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    HangingProvider hanging = new HangingProvider(null);
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    McpServerSpec patient =
        spec(server)
            .initializeTimeout(Duration.ofSeconds(60))
            .requestTimeout(Duration.ofSeconds(60))
            .build();

    CompletableFuture<RunResult> run =
        runner(hanging)
            .runAsync(
                agent(calling("whoami", "{}"), patient),
                "hi",
                io.github.mcprunner.RunOptions.builder().cancellation(cancellation).build());
    assertThat(hanging.entered.await(10, TimeUnit.SECONDS)).as("the provider was called").isTrue();
    cancellation.cancel();
    Throwable failure = catchThrowable(() -> run.get(10, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(io.github.mcprunner.RunCancelledException.class);
    assertThat(hanging.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.requests()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  @Timeout(30)
  void closingTheRunnerEndsARunWaitingForAProviderWithAClearError(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    HangingProvider hanging = new HangingProvider(null);
    McpServerSpec patient =
        spec(server)
            .initializeTimeout(Duration.ofSeconds(60))
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    Runner runner = runner(hanging);

    CompletableFuture<RunResult> run =
        runner.runAsync(agent(calling("whoami", "{}"), patient), "hi");
    assertThat(hanging.entered.await(10, TimeUnit.SECONDS)).as("the provider was called").isTrue();
    runner.close();
    Throwable failure = catchThrowable(() -> run.get(10, TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause())
        .isInstanceOf(io.github.mcprunner.RunCancelledException.class)
        .hasMessageContaining("the runner was closed");
    assertThat(hanging.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  @Timeout(60)
  void cancellingARunMidCallTellsTheServerWithTheRunsHeaders(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    CompletableFuture<RunResult> run =
        runner()
            .runAsync(
                agent(calling("block", "{}"), spec(server).build()),
                "hi",
                io.github.mcprunner.RunOptions.builder()
                    .mcpHeaders(McpHeaders.of("X-User-Id", "u-cancel"))
                    .cancellation(cancellation)
                    .build());
    assertThat(server.awaitBlockedCalls(1, WAIT)).as("the tool call reached the server").isTrue();
    RecordedRequest call =
        server.requests().stream().filter(r -> r.isToolCall("block")).findFirst().orElseThrow();

    cancellation.cancel();
    Throwable failure = catchThrowable(() -> run.get(WAIT.toSeconds(), TimeUnit.SECONDS));

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(io.github.mcprunner.RunCancelledException.class);
    if (mode != Mode.STATELESS) {
      awaitRequest(
          server,
          r -> "notifications/cancelled".equals(r.mcpMethod()),
          "notifications/cancelled reached the server");
      RecordedRequest notice =
          server.requests().stream()
              .filter(r -> "notifications/cancelled".equals(r.mcpMethod()))
              .findFirst()
              .orElseThrow();
      assertThat(notice.header("X-User-Id")).as("the run's header").hasValue("u-cancel");
      assertThat(notice.sessionId()).isEqualTo(call.sessionId());
      assertThat(notice.body())
          .contains("\"requestId\"")
          .contains(String.valueOf(call.jsonRpcId()));
      assertThat(
              server.requests().stream()
                  .filter(r -> "notifications/cancelled".equals(r.mcpMethod()))
                  .count())
          .isEqualTo(1);
    }
    server.releaseBlocked();
  }

  // ---------------------------------------------------------------- the SPI, directly

  /** A header source that numbers every request it is asked about. */
  private static final class NumberingSource implements RequestHeaderSource {
    final Map<String, OutgoingRequest> asked = new ConcurrentHashMap<>();
    final AtomicInteger next = new AtomicInteger();
    volatile @Nullable String failOnMethod;

    @Override
    public McpHeaders headersFor(OutgoingRequest request, McpTransportContext context) {
      if (request.mcpMethod() != null && request.mcpMethod().equals(failOnMethod)) {
        throw new HeaderProviderException("numbering", "tickets", "refuses this request", null);
      }
      String number = Integer.toString(next.incrementAndGet());
      asked.put(number, request);
      Object run = context.get("tck.run");
      return run == null
          ? McpHeaders.of("X-Seq", number)
          : McpHeaders.of("X-Seq", number, "X-Run", run.toString());
    }
  }

  private McpAsyncClient directClient(EmbeddedMcpServer server, RequestHeaderSource source) {
    TransportSettings settings =
        new TransportSettings(
            new McpServerRef("tickets", server.url()),
            server.mode() == Mode.SSE ? TransportKind.SSE : TransportKind.STREAMABLE_HTTP,
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            source,
            McpJsonDefaults.getMapper());
    return McpClient.async(transport().create(settings))
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  private static McpTransportContext runContext(String run) {
    return McpTransportContext.create(Map.of("tck.run", run));
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void headerSourceIsAskedOnceForEveryRequestWithItsMethodAndTool(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    NumberingSource source = new NumberingSource();
    McpAsyncClient client = directClient(server, source);
    client
        .initialize()
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
        .block(WAIT);
    McpSchema.CallToolResult result =
        client
            .callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2)))
            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, runContext("run-7")))
            .block(WAIT);
    assertThat(result).isNotNull();
    assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("3");
    // The client tries the event stream (GET) after initialization on every server, a stateless
    // one too (which refuses it): let it arrive, or the close below can end it after its headers
    // were resolved and before it reached the server.
    awaitRequest(
        server,
        mode == Mode.STATELESS ? r -> "GET".equals(r.httpMethod()) : isGet(),
        "the event stream (GET) was tried");
    client.closeGracefully().block(WAIT);
    if (mode == Mode.STATEFUL) {
      awaitRequest(server, r -> "DELETE".equals(r.httpMethod()), "the session was deleted");
    }

    List<RecordedRequest> requests = server.requests();
    Set<String> seen = new HashSet<>();
    for (RecordedRequest request : requests) {
      String what = describe(request);
      List<String> numbers = request.headerValues("X-Seq");
      assertThat(numbers).as("X-Seq of " + what).hasSize(1);
      assertThat(seen.add(numbers.get(0)))
          .as("one header resolution per request: " + what)
          .isTrue();
      OutgoingRequest asked = source.asked.get(numbers.get(0));
      assertThat(asked).isNotNull();
      assertThat(asked.httpMethod()).as(what).isEqualTo(request.httpMethod());
      assertThat(asked.uri().getPath()).as(what).isEqualTo(request.path());
      if ("POST".equals(request.httpMethod())) {
        assertThat(asked.mcpMethod()).as(what).isEqualTo(request.mcpMethod());
        assertThat(asked.toolName()).as(what).isEqualTo(request.toolName());
      }
      if (request.isToolCall("add")) {
        assertThat(request.headerValues("X-Run")).as(what).containsExactly("run-7");
      } else {
        assertThat(request.header("X-Run")).as(what).isEmpty();
      }
    }
    assertThat(requests).anySatisfy(r -> assertThat(r.isToolCall("add")).isTrue());
    // No resolution without a request: every number handed out reached the server (or belongs to
    // a request still in flight, which the close above ended).
    assertThat(source.asked.keySet()).containsAll(seen);
    assertThat(seen).hasSameSizeAs(source.asked.keySet());
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void failingHeaderSourceSendsNothingAndFailsTheCallWithItsException(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    NumberingSource source = new NumberingSource();
    McpAsyncClient client = directClient(server, source);
    client
        .initialize()
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
        .block(WAIT);
    source.failOnMethod = "tools/call";

    Throwable failure =
        catchThrowable(
            () ->
                client
                    .callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2)))
                    .block(WAIT));

    assertThat(causes(failure)).hasAtLeastOneElementOfType(HeaderProviderException.class);
    assertThat(server.requests()).noneMatch(r -> "tools/call".equals(r.mcpMethod()));
    client.closeGracefully().block(WAIT);
  }

  // ---------------------------------------------------------------- isolation

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  // 200 runs of several round trips each: 7 s on a quiet 2-core machine, so the suite's 60 s
  // guard against a hang is too close on a loaded one; every run's own wait stays 45 s.
  @Timeout(180)
  void perRunHeadersNeverCrossBetweenConcurrentRuns(Mode mode) throws Exception {
    int identities = 40;
    int runsEach = 5;
    EmbeddedMcpServer server = server(mode);
    Runner runner = runner();
    Agent agent =
        agent(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .callTool("echo_headers", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build(),
            spec(server).headers(McpHeaders.of("X-Static", "s")).build());
    Map<String, String> tenantOfNonce = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String[]>> outcomes = new ArrayList<>();
      for (int r = 0; r < runsEach; r++) {
        for (int t = 0; t < identities; t++) {
          String tenant = "tenant-" + t;
          String nonce = "run-" + t + "-" + r;
          tenantOfNonce.put(nonce, tenant);
          outcomes.add(
              pool.submit(
                  () ->
                      new String[] {
                        nonce,
                        runner
                            .run(
                                agent,
                                "who am I?",
                                McpHeaders.of(
                                    "X-Tenant-Id", tenant,
                                    "X-Run-Nonce", nonce,
                                    "Authorization", "Bearer " + tenant + ":" + nonce))
                            .finalOutput()
                      }));
        }
      }
      for (Future<String[]> outcome : outcomes) {
        String[] done = outcome.get(45, TimeUnit.SECONDS);
        assertThat(done[1]).contains(done[0]).contains(tenantOfNonce.get(done[0]));
      }
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> callsPerNonce = new HashMap<>();
    Map<String, Set<String>> tenantsPerSession = new HashMap<>();
    for (RecordedRequest request : server.requests()) {
      String what = describe(request);
      List<String> nonces = request.headerValues("X-Run-Nonce");
      List<String> tenants = request.headerValues("X-Tenant-Id");
      assertThat(request.headerValues("X-Static")).as(what).containsExactly("s");
      assertThat(nonces).as(what).hasSizeLessThanOrEqualTo(1);
      if ("tools/call".equals(request.mcpMethod()) || "tools/list".equals(request.mcpMethod())) {
        assertThat(nonces).as("a run's request carries its nonce: " + what).hasSize(1);
      }
      if (!nonces.isEmpty()) {
        String tenant = tenantOfNonce.get(nonces.get(0));
        assertThat(tenants).as(what).containsExactly(tenant);
        assertThat(request.headerValues("Authorization"))
            .as(what)
            .containsExactly("Bearer " + tenant + ":" + nonces.get(0));
        if ("tools/call".equals(request.mcpMethod())) {
          callsPerNonce.merge(nonces.get(0), 1, Integer::sum);
        }
      }
      if (request.sessionId() != null && !tenants.isEmpty()) {
        tenantsPerSession
            .computeIfAbsent(request.sessionId(), k -> new HashSet<>())
            .add(tenants.get(0));
      }
    }
    assertThat(callsPerNonce).hasSize(identities * runsEach);
    assertThat(callsPerNonce.values()).containsOnly(2);
    tenantsPerSession.forEach(
        (session, tenants) -> assertThat(tenants).as("tenants of session " + session).hasSize(1));
  }

  // ---------------------------------------------------------------- redirects

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void sensitiveHeadersNeverReachAnotherOriginOnARedirect(int status) throws Exception {
    EmbeddedMcpServer other = server(Mode.STATEFUL);
    RedirectingServer redirecting = track(RedirectingServer.start(status, other.url()));
    URI url = redirecting.url("/mcp");
    McpServerSpec spec = spec("tickets", url, Mode.STATEFUL).build();

    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(calling("whoami", "{}"), spec),
                        "hi",
                        McpHeaders.of(
                            "Authorization", "Bearer secret-token",
                            "Cookie", "sid=secret-cookie",
                            "X-Api-Key", "secret-key",
                            "X-Tenant-Id", "acme")));

    assertThat(redirecting.requests()).isPositive();
    for (RecordedRequest request : other.requests()) {
      for (String name : request.headers().keySet()) {
        boolean credential = McpHeaders.isSensitive(name) && !McpHeaders.isProtected(name);
        assertThat(credential)
            .as("header " + name + " of " + describe(request) + " at the other origin")
            .isFalse();
      }
    }
    if (failure != null) {
      assertThat(failure)
          .isInstanceOf(McpServerException.class)
          .hasMessageContaining("'tickets'")
          .hasMessageContaining(url.toString())
          .hasMessageNotContaining("secret");
    }
  }

  // ---------------------------------------------------------------- 401

  private static final class RefreshingTokens implements McpHeaderProvider {
    final AtomicInteger refreshes = new AtomicInteger();
    final boolean everFresh;

    RefreshingTokens(boolean everFresh) {
      this.everFresh = everFresh;
    }

    @Override
    public String name() {
      return "token-cache";
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      int refreshed = refreshes.get();
      return McpHeaders.of(
          "Authorization",
          refreshed > 0 && everFresh ? "Bearer fresh-" + refreshed : "Bearer stale-token");
    }

    @Override
    public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
      refreshes.incrementAndGet();
      return true;
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS"})
  void unauthorizedAsksTheProvidersOnceAndRetriesWithFreshHeaders(Mode mode) {
    EmbeddedMcpServer secured =
        track(
            EmbeddedMcpServer.builder()
                .mode(mode)
                .defaultTools()
                .requireBearerToken(token -> token.startsWith("fresh-"))
                .start());
    RefreshingTokens tokens = new RefreshingTokens(true);

    RunResult result =
        runner(tokens).run(agent(calling("whoami", "{}"), spec(secured).build()), "hi");

    assertThat(result.finalOutput()).contains("fresh-1");
    assertThat(tokens.refreshes).hasValue(1);
    assertThat(count(secured, r -> r.status() == 401)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS"})
  void unauthorizedTwiceFailsTheRunAfterExactlyOneRetry(Mode mode) {
    EmbeddedMcpServer secured =
        track(
            EmbeddedMcpServer.builder()
                .mode(mode)
                .defaultTools()
                .requireBearerToken(token -> token.startsWith("fresh-"))
                .start());
    RefreshingTokens tokens = new RefreshingTokens(false);

    assertThatThrownBy(
            () -> runner(tokens).run(agent(calling("whoami", "{}"), spec(secured).build()), "hi"))
        .isInstanceOf(McpUnauthorizedException.class)
        .hasMessageContaining("'tickets'")
        .hasMessageContaining(secured.url().toString())
        .hasMessageContaining("401")
        .hasMessageNotContaining("stale-token");
    assertThat(tokens.refreshes).hasValue(1);
    assertThat(count(secured, r -> r.status() == 401)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void unauthorizedPostIsRetriedExactlyOnceInEveryMode(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    RefreshingTokens tokens = new RefreshingTokens(true);
    server.failNextRequests(1, 401);

    RunResult result =
        runner(tokens).run(agent(calling("add", "{\"a\":1,\"b\":1}"), spec(server).build()), "hi");

    assertThat(result.finalOutput()).isEqualTo("done: 2");
    assertThat(tokens.refreshes).hasValue(1);
    assertThat(count(server, r -> r.status() == 401)).isEqualTo(1);
    assertThat(count(server, r -> "initialize".equals(r.mcpMethod()) && r.status() != 401))
        .isEqualTo(1);
  }

  // ---------------------------------------------------------------- event streams

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void answerStreamOfManyEventsIsReadToTheEnd(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    RunResult result =
        runner().run(agent(calling("progress", "{\"steps\":25}"), spec(server).build()), "hi");
    assertThat(result.finalOutput()).isEqualTo("done: completed 25 steps");
  }

  @Test
  void eventStreamCarriesServerMessagesAndIsResumedWithLastEventId() throws Exception {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    Runner runner = runner();
    runner.run(
        agent(calling("whoami", "{}"), spec(server).build()),
        "hi",
        McpHeaders.of("X-User-Id", "u1"));
    awaitRequest(
        server, r -> isGet().test(r) && r.status() == 200, "the event stream (GET) was opened");
    long listsBefore = count(server, r -> "tools/list".equals(r.mcpMethod()));

    // An event on the GET stream: the client re-lists the tools. The recorded GET can precede the
    // moment the SDK server attaches that stream to the session, and a notification sent in
    // between reaches no one (seen under load): repeat it, at most five times, until a re-list.
    Predicate<RecordedRequest> relisted =
        r -> count(server, q -> "tools/list".equals(q.mcpMethod())) > listsBefore;
    server.notifyToolsListChanged();
    Optional<RecordedRequest> relist = server.awaitRequest(relisted, Duration.ofSeconds(2));
    for (int attempt = 1; relist.isEmpty() && attempt < 5; attempt++) {
      server.notifyToolsListChanged();
      relist = server.awaitRequest(relisted, Duration.ofSeconds(2));
    }
    assertThat(relist).as("the client received tools/list_changed on its event stream").isPresent();

    server.closeEventStreams();
    if (resumesEventStreams()) {
      awaitRequest(
          server,
          r -> "GET".equals(r.httpMethod()) && r.header("Last-Event-ID").isPresent(),
          "the event stream was re-opened with Last-Event-ID");
    }
    List<RecordedRequest> gets =
        server.requests().stream().filter(r -> "GET".equals(r.httpMethod())).toList();
    String session = gets.get(0).sessionId();
    assertThat(session).isNotNull();
    for (RecordedRequest get : gets) {
      assertThat(get.sessionId()).as(describe(get)).isEqualTo(session);
      assertThat(get.headerValues("X-User-Id")).as(describe(get)).containsExactly("u1");
      get.header("Last-Event-ID").ifPresent(id -> assertThat(id).as(describe(get)).isNotBlank());
    }
    if (!resumesEventStreams()) {
      assertThat(gets).allSatisfy(get -> assertThat(get.header("Last-Event-ID")).isEmpty());
    }
  }

  // ---------------------------------------------------------------- resumability (SEP-1699)

  /**
   * Returns the wait before resuming an answer stream whose server gave no {@code retry}. Defaults
   * to the 1 s of mcp-runner's Streamable HTTP client.
   */
  protected Duration defaultResumeRetry() {
    return Duration.ofSeconds(1);
  }

  /**
   * Returns how many resumptions in a row without a message the transport makes before it fails the
   * call. Defaults to {@code StreamableHttpTransports.MAX_RESUMPTIONS} (3) of mcp-runner's
   * Streamable HTTP client.
   */
  protected int maxResumptions() {
    return StreamableHttpTransports.MAX_RESUMPTIONS;
  }

  private SseRetryServer sseRetryServer(
      @Nullable Integer retryMillis,
      SseRetryServer.CallStream callStream,
      SseRetryServer.Resumption resumption)
      throws IOException {
    return track(SseRetryServer.start(retryMillis, callStream, resumption));
  }

  private static McpServerSpec sseRetrySpec(SseRetryServer server) {
    return spec("tickets", server.url(), Mode.STATEFUL).build();
  }

  @Test
  void answerStreamEndedBeforeTheResponseIsResumedAfterRetryWithLastEventId() throws Exception {
    SseRetryServer server =
        sseRetryServer(
            500, SseRetryServer.CallStream.PRIMING_ONLY, SseRetryServer.Resumption.DELIVER);

    RunResult result =
        runner()
            .run(
                agent(calling(SseRetryServer.TOOL, "{}"), sseRetrySpec(server)),
                "hi",
                McpHeaders.of("Authorization", "Bearer u1-token", "X-User-Id", "u1"));

    assertThat(result.finalOutput()).isEqualTo("done: " + SseRetryServer.RESULT_TEXT);
    List<SseRetryServer.Get> resumptions = server.resumptions();
    assertThat(resumptions).as("GETs resuming the answer stream").hasSize(1);
    SseRetryServer.Get get = resumptions.get(0);
    assertThat(get.lastEventId()).isEqualTo(server.callPrimingIds().get(0));
    assertThat(get.header("Mcp-Session-Id")).containsExactly(SseRetryServer.SESSION);
    assertThat(get.header("Authorization")).containsExactly("Bearer u1-token");
    assertThat(get.header("X-User-Id")).containsExactly("u1");
    assertThat(get.header("Accept")).hasSize(1);
    assertThat(get.header("Accept").get(0)).contains("text/event-stream");
    assertThat(server.firstResumptionGap())
        .as("the wait between the end of the stream and the resumption")
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void answerStreamWithoutRetryIsResumedAfterTheDefaultWait() throws Exception {
    SseRetryServer server =
        sseRetryServer(
            null, SseRetryServer.CallStream.PRIMING_ONLY, SseRetryServer.Resumption.DELIVER);

    RunResult result =
        runner()
            .run(
                agent(calling(SseRetryServer.TOOL, "{}"), sseRetrySpec(server)),
                "hi",
                McpHeaders.of("X-User-Id", "u1"));

    assertThat(result.finalOutput()).isEqualTo("done: " + SseRetryServer.RESULT_TEXT);
    assertThat(server.resumptions()).hasSize(1);
    assertThat(server.resumptions().get(0).lastEventId()).isEqualTo(server.callPrimingIds().get(0));
    assertThat(server.firstResumptionGap()).isGreaterThanOrEqualTo(defaultResumeRetry());
  }

  @Test
  void resumptionsAreBoundedAndThenTheCallFailsClearly() throws Exception {
    SseRetryServer server =
        sseRetryServer(
            50, SseRetryServer.CallStream.PRIMING_ONLY, SseRetryServer.Resumption.NEVER_DELIVER);
    McpServerSpec spec =
        spec("tickets", server.url(), Mode.STATEFUL).requestTimeout(Duration.ofSeconds(30)).build();

    Throwable failure =
        catchThrowable(() -> runner().run(agent(calling(SseRetryServer.TOOL, "{}"), spec), "hi"));

    assertClear(failure, "tickets", server.url());
    // Failed by giving up the resumptions, not by the 30 s request timeout.
    assertThat(failure).hasMessageNotContaining("did not answer");
    assertThat(server.toolCalls()).isEqualTo(1);
    List<SseRetryServer.Get> resumptions = server.resumptions();
    assertThat(resumptions).hasSize(maxResumptions());
    // Each resumption names the last event id the client received: the previous stream's primer.
    assertThat(resumptions.get(0).lastEventId()).isEqualTo(server.callPrimingIds().get(0));
    for (int i = 1; i < resumptions.size(); i++) {
      assertThat(resumptions.get(i).lastEventId()).isNotEqualTo(resumptions.get(0).lastEventId());
    }
  }

  @Test
  void concurrentRunsResumeTheirCallsWithTheirOwnHeadersAndGetTheirOwnResults() throws Exception {
    // retry 300 ms: both calls wait for their resumption at the same time.
    SseRetryServer server =
        sseRetryServer(
            300, SseRetryServer.CallStream.PRIMING_ONLY, SseRetryServer.Resumption.DELIVER);
    Runner runner = runner();
    Map<String, CompletableFuture<RunResult>> runs = new HashMap<>();
    for (String user : List.of("ann", "bob")) {
      runs.put(
          user,
          runner.runAsync(
              agent(
                  calling(SseRetryServer.TOOL, "{\"nonce\":\"" + user + "\"}"),
                  sseRetrySpec(server)),
              "hi",
              McpHeaders.of("Authorization", "Bearer " + user + "-token", "X-User-Id", user)));
    }

    for (String user : List.of("ann", "bob")) {
      CompletableFuture<RunResult> run = runs.get(user);
      assertThat(run).isNotNull();
      assertThat(run.get(20, TimeUnit.SECONDS).finalOutput())
          .isEqualTo("done: " + SseRetryServer.RESULT_TEXT + " for " + user);
    }
    List<SseRetryServer.Get> resumptions = server.resumptions();
    assertThat(resumptions).hasSize(2);
    Set<String> resumedFor = new HashSet<>();
    for (SseRetryServer.Get get : resumptions) {
      String eventId = get.lastEventId();
      assertThat(eventId).as("the Last-Event-ID of a resumption").isNotNull();
      String result = server.resultOfEvent(eventId);
      assertThat(result).as("the call a resumption names").isNotNull();
      String user = result.substring(result.lastIndexOf(' ') + 1);
      resumedFor.add(user);
      assertThat(get.header("Authorization")).containsExactly("Bearer " + user + "-token");
      assertThat(get.header("X-User-Id")).containsExactly(user);
    }
    assertThat(resumedFor).containsExactlyInAnyOrder("ann", "bob");
    assertThat(server.toolCalls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(
      value = SseRetryServer.Resumption.class,
      names = {"UNAUTHORIZED", "NOT_FOUND"})
  void refusedResumptionFailsTheRunWithoutSendingTheToolCallAgain(SseRetryServer.Resumption refusal)
      throws Exception {
    SseRetryServer server = sseRetryServer(50, SseRetryServer.CallStream.PRIMING_ONLY, refusal);
    // A provider that always offers a retry after 401: the runner must not take it here, the
    // server already has the call.
    RefreshingTokens tokens = new RefreshingTokens(true);

    Throwable failure =
        catchThrowable(
            () ->
                runner(tokens)
                    .run(
                        agent(calling(SseRetryServer.TOOL, "{}"), sseRetrySpec(server)),
                        "hi",
                        McpHeaders.of("X-User-Id", "u1")));

    assertClear(failure, "tickets", server.url());
    assertThat(failure)
        .isNotInstanceOf(McpUnauthorizedException.class)
        .hasMessageContaining("tools/call")
        .hasMessageContaining("may have run")
        .hasMessageNotContaining("stale-token");
    assertThat(server.toolCalls()).as("tools/call requests the server received").isEqualTo(1);
    assertThat(server.resumptions()).hasSize(1);
    assertThat(tokens.refreshes).as("providers asked about a 401").hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(
      value = SseRetryServer.CallStream.class,
      names = {"OVERSIZED_EVENT", "OVERSIZED_JSON"})
  void answerPastTheSizeLimitFailsTheCallNamingTheLimit(SseRetryServer.CallStream oversized)
      throws Exception {
    SseRetryServer server = sseRetryServer(50, oversized, SseRetryServer.Resumption.DELIVER);

    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(agent(calling(SseRetryServer.TOOL, "{}"), sseRetrySpec(server)), "hi"));

    assertClear(failure, "tickets", server.url());
    assertThat(failure).hasMessageContaining("tools/call").hasMessageContaining(maxMessageSize());
    assertThat(server.toolCalls()).isEqualTo(1);
    assertThat(server.resumptions()).as("an oversized answer is not resumed").isEmpty();
  }

  /**
   * Returns how the transport names its limit on the size of a JSON body or SSE event, as its
   * failures print it. Defaults to the 16 MiB of mcp-runner's Streamable HTTP client; the suite's
   * oversized answers are 17 MiB.
   */
  protected String maxMessageSize() {
    return "16 MiB";
  }

  @Test
  void answerStreamThatCarriedTheResponseIsNotResumed() throws Exception {
    // retry: 0 — a client that resumed a completed stream would do so at once.
    SseRetryServer server =
        sseRetryServer(
            0, SseRetryServer.CallStream.PRIMING_AND_RESPONSE, SseRetryServer.Resumption.DELIVER);
    Runner runner = runner();
    ScriptedModel twice =
        ScriptedModel.builder()
            .callTool(SseRetryServer.TOOL, "{}")
            .callTool(SseRetryServer.TOOL, "{}")
            .answer(request -> "done: " + ScriptedModel.lastToolOutput(request))
            .build();

    RunResult result = runner.run(agent(twice, sseRetrySpec(server)), "hi");
    runner.close();

    assertThat(result.finalOutput()).isEqualTo("done: " + SseRetryServer.RESULT_TEXT);
    assertThat(server.toolCalls()).isEqualTo(2);
    assertThat(server.awaitDelete(WAIT)).as("the session was deleted").isTrue();
    assertThat(server.resumptions()).isEmpty();
  }

  // ---------------------------------------------------------------- failures and timeouts

  private static void assertClear(@Nullable Throwable failure, String serverName, URI url) {
    assertThat(failure)
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("'" + serverName + "'")
        .hasMessageContaining(url.toString());
  }

  @Test
  void refusedConnectionFailsClearly() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/mcp");
    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(calling("whoami", "{}"), spec("crm", url, Mode.STATEFUL).build()),
                        "hi"));
    assertClear(failure, "crm", url);
    assertThat(failure).hasMessageContaining("could not be reached");
  }

  @Test
  void connectTimeoutFailsClearly() throws IOException {
    DeadEndServer dead = track(DeadEndServer.unaccepting());
    URI url = URI.create("http://127.0.0.1:" + dead.port() + "/mcp");
    McpServerSpec spec =
        spec("crm", url, Mode.STATEFUL)
            .connectTimeout(Duration.ofMillis(500))
            .initializeTimeout(Duration.ofSeconds(20))
            .requestTimeout(Duration.ofSeconds(20))
            .build();

    Throwable failure =
        catchThrowable(() -> runner().run(agent(calling("whoami", "{}"), spec), "hi"));

    // Ended by the connect timeout ("could not be reached"), not by the 20 s initialize or request
    // timeout (which would read "did not answer").
    assertClear(failure, "crm", url);
    assertThat(failure).hasMessageContaining("could not be reached");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void twoAgentsDeclaringOneServerEachSendTheirOwnStaticHeaders(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    SpecsOfOneServer.assertEachAgentSendsItsOwnStaticHeaders(
        runner(), server, headers -> spec(server).headers(headers).build());
  }

  @Test
  void silentServerTimesOutClearly() throws IOException {
    DeadEndServer dead = track(DeadEndServer.silent());
    URI url = URI.create("http://127.0.0.1:" + dead.port() + "/mcp");
    McpServerSpec spec =
        spec("crm", url, Mode.STATEFUL)
            .initializeTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(1))
            .build();

    Throwable failure =
        catchThrowable(() -> runner().run(agent(calling("whoami", "{}"), spec), "hi"));

    assertClear(failure, "crm", url);
    assertThat(failure).hasMessageContaining("did not answer");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void oversizedResponseHeadersFailSayingSoWithoutQuotingThem(Mode mode) throws IOException {
    HugeHeadersServer server = track(HugeHeadersServer.start());
    McpServerSpec spec = spec("tickets", server.url(), mode).build();

    Throwable failure =
        catchThrowable(() -> runner().run(agent(calling("whoami", "{}"), spec), "hi"));

    assertClear(failure, "tickets", server.url());
    assertThat(failure)
        .hasMessageContaining("failed during initialize")
        .hasMessageContaining("response headers exceed the HTTP client's limit");
    assertQuotesNoResponseHeader(failure);
    assertThat(server.requests()).as("initialize reached the server, nothing more").isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void connectionResetInsideTheResponseHeadersFailsWithoutQuotingThem(Mode mode)
      throws IOException {
    // The JDK client's exception quotes the header being read ("parsing HTTP/1.1 header, receiving
    // [X-...]"), OkHttp's the bytes in hex: neither may reach the run's failure.
    HugeHeadersServer server = track(HugeHeadersServer.startTruncated());
    McpServerSpec spec = spec("tickets", server.url(), mode).build();

    Throwable failure =
        catchThrowable(() -> runner().run(agent(calling("whoami", "{}"), spec), "hi"));

    assertClear(failure, "tickets", server.url());
    assertThat(failure).hasMessageContaining("failed during initialize");
    assertQuotesNoResponseHeader(failure);
  }

  /**
   * Asserts that no message of {@code failure} or its causes holds what {@link HugeHeadersServer}
   * sent in its headers ({@link HugeHeadersServer#MARKER}, as text or hex, or a header name).
   */
  private static void assertQuotesNoResponseHeader(Throwable failure) {
    String hex =
        java.util.HexFormat.of()
            .formatHex(HugeHeadersServer.MARKER.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (Throwable t : causes(failure)) {
      assertThat(String.valueOf(t.getMessage()))
          .as("message of " + t.getClass().getName())
          .doesNotContainIgnoringCase(HugeHeadersServer.MARKER)
          .doesNotContainIgnoringCase(hex)
          .doesNotContainIgnoringCase("X-Padding");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void slowToolCallTimesOutClearly(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    McpServerSpec spec = spec(server).requestTimeout(Duration.ofSeconds(2)).build();
    try {
      Throwable failure =
          catchThrowable(() -> runner().run(agent(calling("block", "{}"), spec), "hi"));
      assertClear(failure, "tickets", server.url());
      assertThat(failure).hasMessageContaining("did not answer tools/call");
    } finally {
      server.releaseBlocked();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {StallingServer.TOOL, StallingServer.SILENT_TOOL})
  void unansweredCallIsCutOffAtTheRequestTimeout(String tool) throws Exception {
    // TOOL: status, headers and a priming event, then silence. SILENT_TOOL: not even a status
    // line (a transport may leave a POST's timeout to the runner's deadline). Either way the call
    // ends at the request timeout and the client lets go of the connection instead of waiting on
    // it for ever.
    StallingServer server = track(StallingServer.start());
    McpServerSpec spec =
        spec("tickets", server.url(), Mode.STATEFUL).requestTimeout(Duration.ofSeconds(2)).build();

    Throwable failure = catchThrowable(() -> runner().run(agent(calling(tool, "{}"), spec), "hi"));

    assertClear(failure, "tickets", server.url());
    assertThat(failure).hasMessageContaining("did not answer tools/call");
    assertThat(server.toolCalls()).isEqualTo(1);
    assertThat(server.awaitCallStreamClosed(WAIT))
        .as("the client closed the connection of the unanswered call")
        .isTrue();
  }

  @Test
  void answeredCallWhoseStreamStaysOpenIsLetGoAtTheRequestTimeout() throws Exception {
    // The response arrives, then the server holds the answer stream open without a word: the run
    // has its result, and the client must not keep a thread reading (and a connection) for ever.
    StallingServer server = track(StallingServer.start());
    McpServerSpec spec =
        spec("tickets", server.url(), Mode.STATEFUL).requestTimeout(Duration.ofSeconds(2)).build();

    RunResult result =
        runner().run(agent(calling(StallingServer.ANSWERING_TOOL, "{}"), spec), "hi");

    assertThat(result.finalOutput()).isEqualTo("done: " + StallingServer.ANSWER);
    // The runner and its pooled session stay open: only the transport can let go of the stream.
    assertThat(server.awaitCallStreamClosed(WAIT))
        .as("the client closed the connection of the answered call's open stream")
        .isTrue();
    assertThat(server.toolCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void serverKilledMidCallFailsClearlyWithoutHanging(Mode mode) throws Exception {
    EmbeddedMcpServer server = server(mode);
    LoopbackProxy proxy = track(LoopbackProxy.start(server.port()));
    URI url = URI.create("http://127.0.0.1:" + proxy.port() + server.url().getPath());
    McpServerSpec spec = spec("tickets", url, mode).requestTimeout(Duration.ofSeconds(50)).build();
    Runner runner = runner();

    CompletableFuture<RunResult> run = runner.runAsync(agent(calling("block", "{}"), spec), "hi");
    assertThat(server.awaitBlockedCalls(1, WAIT)).as("the call reached the tool").isTrue();
    proxy.kill();

    ExecutionException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> run.get(20, TimeUnit.SECONDS), ExecutionException.class);
    server.releaseBlocked();
    assertThat(failure).as("the run failed (rather than hanging or succeeding)").isNotNull();
    assertClear(failure.getCause(), "tickets", url);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "STATELESS", "SSE"})
  void largeUnicodeResultArrivesIntact(Mode mode) {
    int bytes = 5 * 1024 * 1024;
    EmbeddedMcpServer server = server(mode);
    RunResult result =
        runner()
            .run(
                agent(
                    calling("big_text", "{\"bytes\":" + bytes + ",\"unicode\":true}"),
                    spec(server).build()),
                "hi");
    RunItem.ToolResultItem item = result.toolResults().get(0);
    assertThat(item.error()).isFalse();
    String expected = EmbeddedMcpServer.bigText(bytes, true);
    assertThat(item.output().length()).isEqualTo(expected.length());
    assertThat(item.output().equals(expected)).as("the 5 MiB text is unchanged").isTrue();
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void closeDeletesTheSessionWithItsIdentitysHeaders() throws Exception {
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    Runner runner = runner();
    runner.run(
        agent(calling("whoami", "{}"), spec(server).build()),
        "hi",
        McpHeaders.of("Authorization", "Bearer u9-token", "X-User-Id", "u9"));
    String session =
        server.requests().stream()
            .map(RecordedRequest::sessionId)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElseThrow();

    runner.close();

    Optional<RecordedRequest> delete =
        server.awaitRequest(r -> "DELETE".equals(r.httpMethod()), WAIT);
    assertThat(delete).isPresent();
    assertThat(delete.get().sessionId()).isEqualTo(session);
    assertThat(delete.get().headerValues("Authorization")).containsExactly("Bearer u9-token");
    assertThat(delete.get().headerValues("X-User-Id")).containsExactly("u9");
    assertThat(count(server, r -> "DELETE".equals(r.httpMethod()))).isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void runWaitingForTheSessionAnotherRunOfItsIdentityOpensOutlivesThatRunsCancellation()
      throws Exception {
    // Both runs are alice's, so they share one session; the first opens it and hangs in its
    // provider, the second waits for that opening. Cancelling the first must not fail the second.
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    HangingProvider hanging = new HangingProvider("initialize");
    McpHeaderProvider firstHangs =
        new McpHeaderProvider() {
          private final java.util.concurrent.atomic.AtomicBoolean first =
              new java.util.concurrent.atomic.AtomicBoolean(true);

          @Override
          public String name() {
            return "first-initialize-hangs";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return "initialize".equals(context.mcpMethod().orElse(null)) && first.getAndSet(false)
                ? hanging.headers(context)
                : McpHeaders.of("X-Hanging", "answered");
          }
        };
    Runner runner = runner(firstHangs);
    McpServerSpec spec =
        spec(server)
            .initializeTimeout(Duration.ofSeconds(60))
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    McpHeaders alice = McpHeaders.of("X-User-Id", "alice");
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    CompletableFuture<RunResult> opener =
        runCancellable(runner, agent(calling("whoami", "{}"), spec), alice, cancellation);
    assertThat(hanging.entered.await(10, TimeUnit.SECONDS))
        .as("the opener's provider ran")
        .isTrue();
    CompletableFuture<RunResult> waiter =
        runner.runAsync(agent(calling("whoami", "{}"), spec), "hi", alice);
    assertThat(waitingForASession(2, WAIT))
        .as("both runs wait for the session the first one opens")
        .isTrue();

    cancellation.cancel();

    assertThat(catchThrowable(() -> opener.get(WAIT.toSeconds(), TimeUnit.SECONDS)))
        .hasCauseInstanceOf(io.github.mcprunner.RunCancelledException.class);
    RunResult result = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.finalOutput()).startsWith("done: ").contains("alice");
    List<RecordedRequest> initializes =
        server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).toList();
    assertThat(initializes).hasSize(1);
    assertThat(initializes.get(0).header("X-User-Id")).hasValue("alice");
    assertThat(initializes.get(0).header("X-Hanging")).hasValue("answered");
  }

  /** Starts a run with {@code headers} that {@code cancellation} can cancel. */
  private static CompletableFuture<RunResult> runCancellable(
      Runner runner,
      Agent agent,
      McpHeaders headers,
      io.github.mcprunner.RunCancellation cancellation) {
    return runner.runAsync(
        agent,
        "hi",
        io.github.mcprunner.RunOptions.builder()
            .mcpHeaders(headers)
            .cancellation(cancellation)
            .build());
  }

  /** Waits until {@code runs} threads wait in a run's acquisition of a session. */
  private static boolean waitingForASession(int runs, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      long waiting =
          Thread.getAllStackTraces().values().stream()
              .filter(
                  stack ->
                      java.util.Arrays.stream(stack)
                          .anyMatch(
                              frame ->
                                  frame.getClassName().endsWith(".ServerBinding")
                                      && frame.getMethodName().equals("session")))
              .count();
      if (waiting >= runs) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void deleteOfASessionWhoseLatestRunWasCancelledIsSentWithItsIdentitysHeaders() throws Exception {
    // The session's own requests (GET stream, DELETE) take the headers of its identity's latest
    // run; that run being cancelled must not cancel them: the session outlives its runs.
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    // Like a provider fetching a token for the session's own requests: slow enough for the
    // runner's provider watchdog (it looks every 20 ms) to see it running.
    McpHeaderProvider slowForSessionRequests =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "slow-for-session-requests";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            if (context.mcpMethod().isEmpty()) {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
              }
            }
            return McpHeaders.of("X-Session-Token", "fetched");
          }
        };
    Runner runner = runner(slowForSessionRequests);
    McpServerSpec spec = spec(server).build();
    McpHeaders alice = McpHeaders.of("X-User-Id", "alice");
    runner.run(agent(calling("whoami", "{}"), spec), "hi", alice);
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    CompletableFuture<RunResult> cancelled =
        runCancellable(runner, agent(calling("block", "{}"), spec), alice, cancellation);
    try {
      assertThat(server.awaitBlockedCalls(1, WAIT)).as("the second run's call arrived").isTrue();
      cancellation.cancel();
      assertThat(catchThrowable(() -> cancelled.get(WAIT.toSeconds(), TimeUnit.SECONDS)))
          .hasCauseInstanceOf(io.github.mcprunner.RunCancelledException.class);
    } finally {
      server.releaseBlocked();
    }

    runner.close();

    Optional<RecordedRequest> delete =
        server.awaitRequest(r -> "DELETE".equals(r.httpMethod()), WAIT);
    assertThat(delete).as("the session was deleted").isPresent();
    assertThat(delete.get().header("X-User-Id")).hasValue("alice");
    assertThat(delete.get().header("X-Session-Token")).hasValue("fetched");
  }

  @Test
  void sessionThatFinishesOpeningAfterCloseIsDeleted() throws Exception {
    SseRetryServer first =
        sseRetryServer(
            null,
            SseRetryServer.CallStream.PRIMING_AND_RESPONSE,
            SseRetryServer.Resumption.DELIVER);
    SseRetryServer slow =
        sseRetryServer(
            null,
            SseRetryServer.CallStream.PRIMING_AND_RESPONSE,
            SseRetryServer.Resumption.DELIVER);
    slow.holdInitialize();
    // The runner sends its DELETEs once every pool was told to close: the first server's DELETE
    // lets the slow server answer initialize, so that session finishes opening after close.
    first.onDelete(slow::releaseInitialize);
    Runner runner = runner();
    runner.run(agent(calling(SseRetryServer.TOOL, "{}"), sseRetrySpec(first)), "hi");
    CompletableFuture<RunResult> run =
        runner.runAsync(
            agent(
                calling(SseRetryServer.TOOL, "{}"),
                spec("slow", slow.url(), Mode.STATEFUL).build()),
            "hi");
    assertThat(slow.awaitInitialize(WAIT)).as("initialize reached the slow server").isTrue();

    runner.close();

    assertThat(first.awaitDelete(WAIT)).as("the open session was deleted").isTrue();
    assertThat(slow.awaitDelete(WAIT))
        .as("the session that finished opening after close was deleted")
        .isTrue();
    assertThat(slow.deletes()).isEqualTo(1);
    Throwable failure = catchThrowable(() -> run.get(20, TimeUnit.SECONDS));
    assertThat(failure).as("the run whose session opened after close").isNotNull();
    assertThat(slow.toolCalls()).isZero();
  }

  @Test
  void perRunSessionThatFinishesOpeningAfterItsRunWasCancelledIsDeleted() throws Exception {
    SseRetryServer slow =
        sseRetryServer(
            null,
            SseRetryServer.CallStream.PRIMING_AND_RESPONSE,
            SseRetryServer.Resumption.DELIVER);
    slow.holdInitialize();
    io.github.mcprunner.RunCancellation cancellation = new io.github.mcprunner.RunCancellation();
    McpServerSpec perRun =
        spec("tickets", slow.url(), Mode.STATEFUL)
            .sessionStrategy(io.github.mcprunner.SessionStrategy.PER_RUN)
            .build();
    CompletableFuture<RunResult> run =
        runner()
            .runAsync(
                agent(calling(SseRetryServer.TOOL, "{}"), perRun),
                "hi",
                io.github.mcprunner.RunOptions.builder().cancellation(cancellation).build());
    assertThat(slow.awaitInitialize(WAIT)).as("initialize reached the server").isTrue();

    cancellation.cancel();
    Throwable failure = catchThrowable(() -> run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    slow.releaseInitialize();

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(io.github.mcprunner.RunCancelledException.class);
    // The runner is still open: only the cancelled run can let go of its own session.
    assertThat(slow.awaitDelete(WAIT))
        .as("the session that finished opening after its run was cancelled was deleted")
        .isTrue();
    assertThat(slow.deletes()).isEqualTo(1);
    assertThat(slow.toolCalls()).isZero();
  }

  @Test
  void runInterruptedMidCallFailsAsCancelledAndDeletesItsPerRunSession() throws Exception {
    // The run's thread is interrupted (Future.cancel(true)) while its call waits for the server.
    EmbeddedMcpServer server = server(Mode.STATEFUL);
    McpServerSpec perRun =
        spec(server).sessionStrategy(io.github.mcprunner.SessionStrategy.PER_RUN).build();
    Agent agent = agent(calling("block", "{}"), perRun);
    Runner runner = runner();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    try {
      Future<?> run =
          caller.submit(
              () -> {
                try {
                  runner.run(agent, "hi", McpHeaders.of("X-User-Id", "u-interrupted"));
                } catch (Throwable t) {
                  failure.set(t);
                } finally {
                  ended.countDown();
                }
              });
      assertThat(server.awaitBlockedCalls(1, WAIT)).as("the call reached the tool").isTrue();
      String session =
          server.requests().stream()
              .filter(r -> r.isToolCall("block"))
              .findFirst()
              .orElseThrow()
              .sessionId();
      assertThat(session).as("the call's session id").isNotNull();

      run.cancel(true);

      assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the run ended").isTrue();
      assertThat(failure.get())
          .as("the interrupted run's failure")
          .isInstanceOf(io.github.mcprunner.RunCancelledException.class);
      awaitRequest(
          server,
          r -> "DELETE".equals(r.httpMethod()) && java.util.Objects.equals(session, r.sessionId()),
          "the run's session was deleted");
      assertThat(
              server
                  .awaitRequest(r -> "DELETE".equals(r.httpMethod()), WAIT)
                  .orElseThrow()
                  .header("X-User-Id"))
          .as("the DELETE carries the run's headers")
          .hasValue("u-interrupted");
    } finally {
      server.releaseBlocked();
      caller.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void sessionForgottenByTheServerIsReopenedAndTheRunCompletes(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    io.github.mcprunner.FunctionTool expire =
        io.github.mcprunner.FunctionTool.of(
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

    RunResult result = runner().run(agent, "hi", McpHeaders.of("X-User-Id", "u7"));

    assertThat(result.finalOutput()).startsWith("done").contains("u7");
    assertThat(result.toolResults()).noneMatch(RunItem.ToolResultItem::error);
    assertThat(count(server, r -> "initialize".equals(r.mcpMethod()))).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"STATEFUL", "SSE"})
  void sessionLostAgainAfterTheReopenFailsWithoutAThirdToolCall(Mode mode) {
    EmbeddedMcpServer server = server(mode);
    server.loseSessionsAt("tools/call");
    McpServerSpec spec = spec(server).build();

    Throwable failure =
        catchThrowable(
            () ->
                runner()
                    .run(
                        agent(calling("whoami", "{}"), spec),
                        "hi",
                        McpHeaders.of("X-User-Id", "user-secret-77")));

    List<RecordedRequest> calls =
        server.requests().stream().filter(r -> "tools/call".equals(r.mcpMethod())).toList();
    assertThat(calls)
        .as("tools/call sent on the first session and once on the re-opened one")
        .hasSize(2)
        .allSatisfy(call -> assertThat(call.status()).isEqualTo(404));
    assertThat(calls.get(0).sessionId()).isNotNull().isNotEqualTo(calls.get(1).sessionId());
    assertClear(failure, "tickets", server.url());
    assertThat(failure)
        .hasMessageContaining("tools/call")
        .hasMessageContaining("no longer knows the session");
    for (Throwable t : causes(failure)) {
      assertThat(String.valueOf(t.getMessage()))
          .doesNotContain("user-secret-77")
          .doesNotContain(String.valueOf(calls.get(0).sessionId()))
          .doesNotContain(String.valueOf(calls.get(1).sessionId()));
    }
  }
}
