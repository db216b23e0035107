package com.example.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExampleSsoHeaderProviderTest {
  private static final String SECRET = "s3rvice-secret";
  private static final McpServerRef TICKETS =
      new McpServerRef("tickets", URI.create("http://127.0.0.1:9/mcp"));

  private FakeSsoEndpoint sso;

  @BeforeEach
  void startSso() throws Exception {
    sso = new FakeSsoEndpoint(SECRET);
  }

  @AfterEach
  void stopSso() {
    sso.close();
    System.clearProperty(ExampleSsoHeaderProvider.ENDPOINT_PROPERTY);
    System.clearProperty(ExampleSsoHeaderProvider.SECRET_PROPERTY);
  }

  @Test
  void isRegisteredForServiceLoader() {
    assertThat(ServiceLoader.load(McpHeaderProvider.class))
        .anySatisfy(provider -> assertThat(provider).isInstanceOf(ExampleSsoHeaderProvider.class));
  }

  @Test
  void aDiscoveredProviderSendsEachSignedInUsersTicketOnEveryRequest() throws Exception {
    System.setProperty(ExampleSsoHeaderProvider.ENDPOINT_PROPERTY, sso.uri().toString());
    System.setProperty(ExampleSsoHeaderProvider.SECRET_PROPERTY, SECRET);
    // The MCP server accepts only tickets the SSO issued for it.
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .defaultTools()
                .requireBearerToken(token -> sso.lookup(token).isPresent())
                .start();
        Runner runner = Runners.create()) { // default discovery: nothing registered by hand
      Agent agent =
          Agent.builder("support")
              .model(
                  ScriptedModel.builder()
                      .callTool("whoami", "{}")
                      .callTool("echo_headers", "{}")
                      .build())
              .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
              .build();

      RunResult alice1 = ask(runner, agent, "alice");
      RunResult bob = ask(runner, agent, "bob");
      RunResult alice2 = ask(runner, agent, "alice");

      assertThat(alice1.toolResults().get(0).output()).contains("Bearer tkt-alice-");
      assertThat(bob.toolResults().get(0).output()).contains("Bearer tkt-bob-");
      assertThat(alice2.toolResults().get(0).output()).contains("Bearer tkt-alice-");
      assertThat(alice1.toolResults().get(1).output()).contains("\"x-example-user\":\"alice\"");

      List<RecordedRequest> requests = server.requests();
      assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isNotIn(401, 403));
      for (RecordedRequest request : requests) {
        String user = request.header("X-Example-User").orElseThrow();
        String ticket = request.header("Authorization").orElseThrow().substring("Bearer ".length());
        FakeSsoEndpoint.Issued issued = sso.lookup(ticket).orElseThrow();
        assertThat(issued.user()).as("ticket of the request's own user").isEqualTo(user);
        assertThat(issued.audience())
            .as("ticket issued for this server")
            .isEqualTo(server.url().toString());
      }
      // One ticket per user, reused across runs and requests.
      assertThat(sso.issued())
          .extracting(FakeSsoEndpoint.Issued::user)
          .containsExactly("alice", "bob");
    }
  }

  @Test
  void aRunWithoutASignedInUserGetsNothing() {
    ExampleSsoHeaderProvider provider = provider(new MutableClock());

    assertThat(provider.headers(HeaderContext.builder(TICKETS).build()))
        .isEqualTo(McpHeaders.empty());
    assertThat(sso.issued()).isEmpty();
  }

  @Test
  void theTicketIsKeptUntilShortlyBeforeItExpires_thenRenewed() {
    MutableClock clock = new MutableClock();
    ExampleSsoHeaderProvider provider = provider(clock);
    sso.lifetimeSeconds(300);

    String first = provider.headers(alice()).get("Authorization").orElseThrow();
    clock.advance(Duration.ofSeconds(300).minus(TicketCache.REFRESH_MARGIN).minusSeconds(1));
    String stillFirst = provider.headers(alice()).get("Authorization").orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    String renewed = provider.headers(alice()).get("Authorization").orElseThrow();

    assertThat(stillFirst).isEqualTo(first);
    assertThat(renewed).isNotEqualTo(first).startsWith("Bearer tkt-alice-");
    assertThat(sso.issued()).hasSize(2);
  }

  @Test
  void ticketsAreKeptPerUserAndPerServer() {
    ExampleSsoHeaderProvider provider = provider(new MutableClock());
    McpServerRef billing =
        new McpServerRef("billing", URI.create("http://127.0.0.1:9/billing/mcp"));

    provider.headers(alice());
    provider.headers(HeaderContext.builder(billing).put(ContextKey.USER_ID, "alice").build());
    provider.headers(HeaderContext.builder(TICKETS).put(ContextKey.USER_ID, "bob").build());
    provider.headers(alice());

    assertThat(sso.issued())
        .extracting(FakeSsoEndpoint.Issued::user, FakeSsoEndpoint.Issued::audience)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", TICKETS.uri().toString()),
            org.assertj.core.groups.Tuple.tuple("alice", billing.uri().toString()),
            org.assertj.core.groups.Tuple.tuple("bob", TICKETS.uri().toString()));
  }

  @Test
  void a401DropsTheCachedTicketSoTheRetryGetsANewOne() {
    ExampleSsoHeaderProvider provider = provider(new MutableClock());
    String first = provider.headers(alice()).get("Authorization").orElseThrow();

    assertThat(provider.onUnauthorized(alice(), "Bearer error=\"invalid_token\"")).isTrue();

    assertThat(provider.headers(alice()).get("Authorization").orElseThrow()).isNotEqualTo(first);
    assertThat(provider.onUnauthorized(HeaderContext.builder(TICKETS).build(), null)).isFalse();
  }

  @Test
  void anSsoFailureFailsTheRequestClosed_withoutSecretsInTheMessage() {
    sso.failWith(503);
    ExampleSsoHeaderProvider provider = provider(new MutableClock());

    assertThatThrownBy(() -> provider.headers(alice()))
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("'tickets'")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void withoutAnEndpointItIsInert() {
    ExampleSsoHeaderProvider provider = new ExampleSsoHeaderProvider();

    assertThat(provider.appliesTo(TICKETS)).isFalse();
    assertThat(provider.headers(alice())).isEqualTo(McpHeaders.empty());
    assertThat(provider.toString()).contains("inert");
  }

  private ExampleSsoHeaderProvider provider(MutableClock clock) {
    return new ExampleSsoHeaderProvider(sso.uri(), SECRET, HttpClient.newHttpClient(), clock);
  }

  private static HeaderContext alice() {
    return HeaderContext.builder(TICKETS).put(ContextKey.USER_ID, "alice").build();
  }

  /** How a service runs the agent for its signed-in user (the README's example). */
  private static RunResult ask(Runner runner, Agent agent, String signedInUser) {
    // snippet:run-as-user
    // The runner discovers the provider; the run names its user.
    RunOptions options = RunOptions.builder().context(ContextKey.USER_ID, signedInUser).build();
    RunResult result = runner.run(agent, "What are my open tickets?", options);
    // end-snippet
    return result;
  }
}
