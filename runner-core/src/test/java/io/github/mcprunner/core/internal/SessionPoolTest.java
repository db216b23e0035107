package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.core.spi.TransportSettings;
import io.github.mcprunner.core.spi.http.McpHttpCall;
import io.github.mcprunner.core.spi.http.McpHttpClient;
import io.github.mcprunner.core.spi.http.McpHttpRequest;
import io.github.mcprunner.core.spi.http.McpHttpResponse;
import io.github.mcprunner.core.spi.http.StreamableHttpTransports;
import io.github.mcprunner.headers.McpHeaders;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session pool against an in-process MCP peer behind the shared Streamable HTTP client: the
 * peer is an implementation of our own HTTP SPI ({@link McpHttpClient}) that answers {@code
 * initialize}, notifications, the GET stream and DELETE as a server would, and records every
 * request with the headers it would carry. Time is a fake {@link Ticker}.
 */
class SessionPoolTest {
  private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

  /** The tool whose calls {@link Peer} accepts (202) and never answers. */
  private static final String UNANSWERED = "unanswered";

  private static @Nullable Object toolName(Map<String, Object> message) {
    Object params = message.get("params");
    return "tools/call".equals(message.get("method")) && params instanceof Map
        ? ((Map<?, ?>) params).get("name")
        : null;
  }

  /** A minimal MCP server as the HTTP client sees it. */
  private static final class Peer implements McpHttpClient {
    final List<McpHttpRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();

    List<McpHttpRequest> requests(String httpMethod, @Nullable String mcpMethod) {
      List<McpHttpRequest> out = new ArrayList<>();
      for (McpHttpRequest request : requests) {
        if (request.method().equals(httpMethod)
            && (mcpMethod == null || mcpMethod.equals(request.request().mcpMethod()))) {
          out.add(request);
        }
      }
      return out;
    }

    @Override
    public McpHttpCall newCall(McpHttpRequest request) {
      return new McpHttpCall() {
        @Override
        public McpHttpResponse execute() throws IOException {
          requests.add(request);
          switch (request.method()) {
            case "GET":
              return response(405, Map.of(), "");
            case "DELETE":
              return response(200, Map.of(), "");
            default:
              break;
          }
          Map<String, Object> message =
              JSON.readValue(request.jsonBody(), new TypeRef<Map<String, Object>>() {});
          if (!message.containsKey("id") || UNANSWERED.equals(toolName(message))) {
            // A notification; or a call the server accepts and never answers.
            return response(202, Map.of(), "");
          }
          Object result =
              "initialize".equals(message.get("method"))
                  ? Map.of(
                      "protocolVersion", "2025-11-25",
                      "capabilities", Map.of("tools", Map.of()),
                      "serverInfo", Map.of("name", "peer", "version", "1"))
                  : Map.of("tools", List.of());
          Map<String, String> headers = new java.util.LinkedHashMap<>();
          headers.put("Content-Type", "application/json");
          if ("initialize".equals(message.get("method"))) {
            headers.put("Mcp-Session-Id", "s-" + sessions.incrementAndGet());
          }
          return response(
              200,
              headers,
              JSON.writeValueAsString(
                  Map.of("jsonrpc", "2.0", "id", message.get("id"), "result", result)));
        }

        @Override
        public void cancel() {}
      };
    }

    private static McpHttpResponse response(int status, Map<String, String> headers, String body) {
      InputStream stream = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
      return new McpHttpResponse() {
        @Override
        public int status() {
          return status;
        }

        @Override
        public @Nullable String header(String name) {
          for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
              return entry.getValue();
            }
          }
          return null;
        }

        @Override
        public InputStream body() {
          return stream;
        }

        @Override
        public void close() {}
      };
    }
  }

  private final Peer peer = new Peer();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicLong nanos = new AtomicLong();
  private final McpServerSpec server =
      McpServerSpec.builder("crm", "http://127.0.0.1:1/mcp")
          .headers(McpHeaders.of("X-Api-Version", "7"))
          .sessionIdleTimeout(Duration.ofMinutes(5))
          .build();

  private final McpTransportFactory factory =
      new McpTransportFactory() {
        @Override
        public String name() {
          return "peer";
        }

        @Override
        public McpClientTransport create(TransportSettings settings) {
          return StreamableHttpTransports.create(settings, peer, executor);
        }
      };

  private final SessionPool pool =
      new SessionPool(
          server,
          factory,
          HeaderChain.create(McpHeaders.empty(), List.of()),
          JSON,
          nanos::get,
          false,
          Observation.NONE);

  @AfterEach
  void tearDown() {
    pool.closeAll().block(Duration.ofSeconds(10));
    executor.shutdownNow();
  }

  private static RunScope user(String id) {
    return RunScope.builder("support", "run-" + id)
        .identity(id)
        .perRunHeaders(McpHeaders.of("X-User-Id", id))
        .build();
  }

  @Test
  void aCallTheServerNeverAnswersIsForgottenWhenItsRunLetsGoOfTheSession() throws Exception {
    McpServerSpec quick = server.toBuilder().requestTimeout(Duration.ofMillis(300)).build();
    SessionPool quickPool =
        new SessionPool(
            quick,
            factory,
            HeaderChain.create(McpHeaders.empty(), List.of()),
            JSON,
            nanos::get,
            false,
            Observation.NONE);
    try {
      RunScope alice = user("alice");
      ServerBinding binding = new ServerBinding(quick, quickPool, alice);
      McpSession session = binding.session(CompletableFuture::join);
      for (int call = 0; call < 3; call++) {
        Throwable failure =
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    session
                        .callTool(new McpSchema.CallToolRequest(UNANSWERED, Map.of()))
                        .contextWrite(
                            ctx -> ctx.put(McpTransportContext.KEY, alice.transportContext()))
                        .block(Duration.ofSeconds(10)));
        assertThat(failure).as("the MCP client's timeout ended the call").isNotNull();
      }
      assertThat(session.waitingRequests()).as("while the run holds the session").isEqualTo(3);

      binding.release();

      assertThat(session.isClosed()).as("the pooled session stays open").isFalse();
      assertThat(session.waitingRequests()).isZero();
    } finally {
      quickPool.closeAll().block(Duration.ofSeconds(10));
    }
  }

  @Test
  void concurrentRunsOfOneIdentityOpenOneSessionWithThatIdentitysHeaders() throws Exception {
    List<CompletableFuture<McpSession>> asked = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      asked.add(
          CompletableFuture.supplyAsync(() -> pool.session("id:alice", user("alice")), executor)
              .thenCompose(future -> future));
    }
    List<McpSession> sessions = new ArrayList<>();
    for (CompletableFuture<McpSession> future : asked) {
      sessions.add(future.get(10, TimeUnit.SECONDS));
    }

    assertThat(sessions).allSatisfy(session -> assertThat(session).isSameAs(sessions.get(0)));
    List<McpHttpRequest> initializes = peer.requests("POST", "initialize");
    assertThat(initializes).hasSize(1);
    assertThat(initializes.get(0).headers().asMap())
        .containsExactly(Map.entry("X-Api-Version", "7"), Map.entry("X-User-Id", "alice"));
  }

  @Test
  void eachIdentityGetsItsOwnSessionNeverAnothersOne() throws Exception {
    McpSession alice = pool.session("id:alice", user("alice")).get(10, TimeUnit.SECONDS);
    McpSession bob = pool.session("id:bob", user("bob")).get(10, TimeUnit.SECONDS);

    assertThat(alice).isNotSameAs(bob);
    assertThat(pool.session("id:alice", user("alice")).get(10, TimeUnit.SECONDS)).isSameAs(alice);
    // Every request of the handshakes carried its own identity's headers and session id.
    for (McpHttpRequest request : peer.requests) {
      String session = request.protocolHeaders().get("Mcp-Session-Id");
      String userId = request.headers().get("X-User-Id").orElseThrow();
      if (session != null) {
        assertThat(session).isEqualTo(userId.equals("alice") ? "s-1" : "s-2");
      }
    }
  }

  @Test
  void anIdleSessionExpiresAndIsClosedWithDeleteCarryingItsIdentitysHeaders() throws Exception {
    McpSession first = pool.session("id:alice", user("alice")).get(10, TimeUnit.SECONDS);

    nanos.addAndGet(Duration.ofMinutes(6).toNanos());
    McpSession second = pool.session("id:alice", user("alice")).get(10, TimeUnit.SECONDS);

    assertThat(second).isNotSameAs(first);
    assertThat(first.close().then().toFuture()).succeedsWithin(Duration.ofSeconds(10));
    List<McpHttpRequest> deletes = peer.requests("DELETE", null);
    assertThat(deletes).hasSize(1);
    assertThat(deletes.get(0).protocolHeaders()).containsEntry("Mcp-Session-Id", "s-1");
    assertThat(deletes.get(0).headers().get("X-User-Id")).hasValue("alice");
  }

  @Test
  void closeAllDeletesEverySessionAndOpensNoMore() throws Exception {
    pool.session("id:alice", user("alice")).get(10, TimeUnit.SECONDS);
    pool.session("id:bob", user("bob")).get(10, TimeUnit.SECONDS);

    pool.closeAll().block(Duration.ofSeconds(10));

    assertThat(peer.requests("DELETE", null))
        .extracting(request -> request.protocolHeaders().get("Mcp-Session-Id"))
        .containsExactlyInAnyOrder("s-1", "s-2");
    assertThat(pool.session("id:carol", user("carol"))).failsWithin(Duration.ofSeconds(10));
    assertThat(peer.requests("POST", "initialize")).hasSize(2);
  }
}
