package io.github.mcprunner.transport.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The factory keeps the user's own OkHttpClient: interceptors, pool, dispatcher stay theirs. */
class OwnClientTest {
  private EmbeddedMcpServer server;
  private final List<Runner> runners = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
  }

  @AfterEach
  void stop() {
    runners.forEach(Runner::close);
    server.close();
  }

  private Runner runner(OkHttpClient client) {
    Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .transport(new OkHttpTransportFactory(client))
            .build();
    runners.add(runner);
    return runner;
  }

  private Agent agent() {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .answer(ScriptedModel::lastToolOutput)
                .build())
        .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
        .build();
  }

  @Test
  void usersInterceptorsAndPoolServeEveryRequestAndNeverSeeTheResolvedCredentials()
      throws InterruptedException {
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionPool pool = new ConnectionPool();
    OkHttpClient mine =
        new OkHttpClient.Builder()
            .connectionPool(pool)
            .addInterceptor(
                chain -> {
                  seen.add(
                      chain.request().method()
                          + " authorization="
                          + (chain.request().header("Authorization") != null));
                  return chain.proceed(
                      chain.request().newBuilder().header("X-Client-Interceptor", "mine").build());
                })
            .build();
    Runner runner = runner(mine);

    runner.run(agent(), "hi", McpHeaders.of("Authorization", "Bearer secret-1", "X-User-Id", "u1"));
    // The session's GET event stream starts on another thread after initialize: let it reach the
    // server before closing, or the close can cancel it after the interceptor saw it and before it
    // was sent, and the interceptor would have seen one request more than the server received.
    assertThat(
            server.awaitRequest(
                r -> "GET".equals(r.httpMethod()) && r.status() != 0, Duration.ofSeconds(10)))
        .as("the event stream (GET) was opened")
        .isPresent();
    runner.close();

    List<RecordedRequest> requests = server.requests();
    assertThat(requests).isNotEmpty();
    assertThat(requests)
        .allSatisfy(
            r -> assertThat(r.headerValues("X-Client-Interceptor")).containsExactly("mine"));
    assertThat(requests)
        .allSatisfy(
            r -> assertThat(r.headerValues("Authorization")).containsExactly("Bearer secret-1"));
    assertThat(seen)
        .hasSize(requests.size())
        .allMatch(line -> line.endsWith("authorization=false"));
    assertThat(pool.connectionCount()).isPositive();
  }

  @Test
  void redirectsAreOffWhateverTheUsersClientSays() {
    OkHttpClient following =
        new OkHttpClient.Builder().followRedirects(true).followSslRedirects(true).build();
    OkHttpTransportFactory factory = new OkHttpTransportFactory(following);
    assertThat(factory.client().followRedirects()).isFalse();
    assertThat(factory.client().followSslRedirects()).isFalse();
    assertThat(following.followRedirects()).as("the user's client is not changed").isTrue();
  }

  @Test
  void aDispatcherOfOneCallPerHostDoesNotStarveManySessionsEventStreams() throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(1);
    dispatcher.setMaxRequests(1);
    Runner runner = runner(new OkHttpClient.Builder().dispatcher(dispatcher).build());
    Agent agent = agent();
    List<CompletableFuture<?>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // Eight identities: eight sessions, each with its own open GET stream.
      runs.add(runner.runAsync(agent, "hi", McpHeaders.of("X-User-Id", "u" + i)));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(
            server.awaitRequest(
                r ->
                    server.requests().stream().filter(q -> "GET".equals(q.httpMethod())).count()
                        >= 8,
                Duration.ofSeconds(10)))
        .isPresent();
  }
}
