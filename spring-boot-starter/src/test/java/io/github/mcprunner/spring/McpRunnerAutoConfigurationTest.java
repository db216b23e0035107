package io.github.mcprunner.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.McpProtocol;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.SessionStrategy;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.observability.opentelemetry.OpenTelemetryObserver;
import io.github.mcprunner.spring.internal.McpServersHealthIndicator;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.opentelemetry.api.OpenTelemetry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The starter's auto-configuration, in application contexts of its own. */
class McpRunnerAutoConfigurationTest {
  private static EmbeddedMcpServer server;

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  McpRunnerAutoConfiguration.class,
                  McpRunnerSpringAiAutoConfiguration.class,
                  McpRunnerHealthAutoConfiguration.class));

  @BeforeAll
  static void startServer() {
    server = EmbeddedMcpServer.builder().defaultTools().start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void serverPropertiesBindToSpecs() {
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
            "mcp-runner.servers.crm.headers.X-Client=support-bot",
            "mcp-runner.servers.crm.transport-kind=sse",
            "mcp-runner.servers.crm.transport=okhttp",
            "mcp-runner.servers.crm.session-strategy=shared",
            "mcp-runner.servers.crm.protocol=stateless",
            "mcp-runner.servers.crm.reissue-lost-requests=false",
            "mcp-runner.servers.crm.max-input-rounds=9",
            "mcp-runner.servers.crm.max-sessions=7",
            "mcp-runner.servers.crm.session-idle-timeout=2m",
            "mcp-runner.servers.crm.connect-timeout=3s",
            "mcp-runner.servers.crm.request-timeout=45s",
            "mcp-runner.servers.crm.initialize-timeout=9s",
            "mcp-runner.servers.crm.tools=list_tickets,whoami",
            "mcp-runner.servers.crm.exclude-tools=whoami",
            "mcp-runner.servers.billing.url=http://billing.internal:8080/mcp")
        .run(
            context -> {
              List<McpServerSpec> specs = context.getBean(ConfiguredMcpServers.class).specs();
              assertThat(specs).extracting(McpServerSpec::name).containsExactly("crm", "billing");
              McpServerSpec crm = specs.get(0);
              assertThat(crm.uri()).hasToString("https://crm.example.com/mcp");
              assertThat(crm.headers().get("X-Client")).contains("support-bot");
              assertThat(crm.transportKind()).isEqualTo(TransportKind.SSE);
              assertThat(crm.transport()).contains("okhttp");
              assertThat(crm.sessionStrategy()).isEqualTo(SessionStrategy.SHARED);
              assertThat(crm.protocol()).isEqualTo(McpProtocol.STATELESS);
              assertThat(crm.reissueLostRequests()).isFalse();
              assertThat(crm.maxInputRounds()).isEqualTo(9);
              assertThat(crm.maxSessions()).isEqualTo(7);
              assertThat(crm.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
              assertThat(crm.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(crm.requestTimeout()).isEqualTo(Duration.ofSeconds(45));
              assertThat(crm.initializeTimeout()).isEqualTo(Duration.ofSeconds(9));
              assertThat(crm.allowsTool("list_tickets")).isTrue();
              assertThat(crm.allowsTool("whoami")).isFalse();
              assertThat(crm.allowsTool("add")).isFalse();
              McpServerSpec billing = specs.get(1);
              assertThat(billing.sessionStrategy()).isEqualTo(SessionStrategy.PER_IDENTITY);
              assertThat(billing.protocol()).isEqualTo(McpProtocol.AUTO);
              assertThat(billing.reissueLostRequests()).isTrue();
              assertThat(billing.maxInputRounds()).isEqualTo(4);
              assertThat(billing.allowsTool("anything")).isTrue();
              assertThat(context).hasSingleBean(Runner.class).hasSingleBean(McpToolbox.class);
              assertThat(context).hasSingleBean(McpRunnerToolCallbackProvider.class);
            });
  }

  @Test
  void aUrlThatIsNotHttpFailsStartUpNamingTheProperty() {
    contexts
        .withPropertyValues("mcp-runner.servers.crm.url=ftp://crm.example.com/mcp")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("mcp-runner.servers.crm.url")
                    .hasMessageContaining("http or https"));
  }

  @Test
  void aMissingUrlFailsStartUpNamingTheProperty() {
    contexts
        .withPropertyValues("mcp-runner.servers.crm.request-timeout=5s")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("mcp-runner.servers.crm.url")
                    .hasMessageContaining("not set"));
  }

  @Test
  void anInvalidHeaderValueFailsStartUpWithoutTheValue() {
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
            "mcp-runner.servers.crm.headers.X-Api-Key=s3cr3t\nvalue")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              assertThat(failure)
                  .rootCause()
                  .hasMessageContaining("mcp-runner.servers.crm.headers.");
              assertThat(messages(failure)).doesNotContain("s3cr3t");
            });
  }

  @Test
  void aProtectedHeaderFailsStartUpNamingTheProperty() {
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
            "mcp-runner.default-headers.Host=evil.example.com")
        .run(
            context -> {
              assertThat(context)
                  .hasFailed()
                  .getFailure()
                  .rootCause()
                  .hasMessageContaining("mcp-runner.default-headers.")
                  .hasMessageContaining("protected");
              assertThat(messages(context.getStartupFailure())).doesNotContain("evil.example.com");
            });
  }

  @Test
  void aRoundBoundOutOfRangeFailsStartUpNamingThePropertyAndItsRule() {
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
            "mcp-runner.servers.crm.max-input-rounds=0")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("mcp-runner.servers.crm.max-input-rounds")
                    .hasMessageContaining("between 1 and 32"));
  }

  @Test
  void aNonPositiveTimeoutFailsStartUpNamingTheProperty() {
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
            "mcp-runner.servers.crm.request-timeout=0s")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("mcp-runner.servers.crm.request-timeout"));
  }

  @Test
  void brokenOAuthSettingsFailStartUpNamingTheSettingNeverTheSecret() {
    contexts
        .withPropertyValues(
            "mcprunner.oauth.token-exchange.client-id=mcp-runner",
            "mcprunner.oauth.token-exchange.client-secret=very-secret-42")
        .run(
            context -> {
              assertThat(context)
                  .hasFailed()
                  .getFailure()
                  .rootCause()
                  .hasMessageContaining("mcprunner.oauth.token-exchange.token-endpoint");
              assertThat(messages(context.getStartupFailure())).doesNotContain("very-secret-42");
            });
  }

  @Test
  void aProviderSettingWithAnUnresolvablePlaceholderFailsStartUpNamingTheSettingNeverTheValue() {
    // A generated secret may hold "${": Spring then reads a placeholder it cannot resolve.
    contexts
        .withPropertyValues(
            "mcprunner.oauth.token-exchange.client-id=mcp-runner",
            "mcprunner.oauth.token-exchange.client-secret=very-secret-${42}-x")
        .run(
            context -> {
              assertThat(context)
                  .hasFailed()
                  .getFailure()
                  .rootCause()
                  .hasMessageContaining("mcprunner.oauth.token-exchange.client-secret")
                  .hasMessageContaining("placeholder");
              assertThat(messages(context.getStartupFailure())).doesNotContain("very-secret");
            });
  }

  @Test
  void beansBackOffWhenTheApplicationDefinesThem() {
    Runner own = Runners.builder().discoverHeaderProviders(false).build();
    CurrentRunOptions ownOptions = () -> RunOptions.builder().identity("fixed").build();
    ConfiguredMcpServers ownServers =
        new ConfiguredMcpServers(List.of(McpServerSpec.builder("own", server.url()).build()));
    contexts
        .withPropertyValues("mcp-runner.servers.crm.url=https://crm.example.com/mcp")
        .withBean(Runner.class, () -> own)
        .withBean(CurrentRunOptions.class, () -> ownOptions)
        .withBean(ConfiguredMcpServers.class, () -> ownServers)
        .run(
            context -> {
              assertThat(context.getBean(Runner.class)).isSameAs(own);
              assertThat(context.getBean(CurrentRunOptions.class)).isSameAs(ownOptions);
              assertThat(context.getBean(ConfiguredMcpServers.class)).isSameAs(ownServers);
              try (ToolboxRun run = context.getBean(McpToolbox.class).open(RunOptions.defaults())) {
                assertThat(run.tools()).allMatch(tool -> tool.serverName().equals("own"));
              }
            });
    own.close();
  }

  @Test
  void theRunnerClosesWithTheContext() {
    AtomicReference<Runner> runner = new AtomicReference<>();
    AtomicReference<McpToolbox> toolbox = new AtomicReference<>();
    contexts
        .withPropertyValues("mcp-runner.servers.crm.url=" + server.url())
        .run(
            context -> {
              runner.set(context.getBean(Runner.class));
              toolbox.set(context.getBean(McpToolbox.class));
              try (ToolboxRun run = toolbox.get().open(RunOptions.defaults())) {
                assertThat(run.tools()).isNotEmpty();
              }
            });
    assertThatThrownBy(() -> toolbox.get().open(RunOptions.defaults()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> runner.get().toolbox("again", List.of()).open(RunOptions.defaults()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void headerProviderBeansAndDefaultHeadersReachTheServer() {
    McpHeaderProvider userHeader =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "user-id-bean";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return context
                .get(ContextKey.USER_ID)
                .map(user -> McpHeaders.of("X-User-Id", user))
                .orElse(McpHeaders.empty());
          }
        };
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=" + server.url(),
            "mcp-runner.servers.crm.headers.X-Client=starter-test",
            "mcp-runner.default-headers.X-Service=support")
        .withBean(McpHeaderProvider.class, () -> userHeader)
        .run(
            context -> {
              server.clearRequests();
              RunOptions options =
                  RunOptions.builder().identity("ann").context(ContextKey.USER_ID, "ann").build();
              try (ToolboxRun run = context.getBean(McpToolbox.class).open(options)) {
                assertThat(run.call("whoami", "{}").output()).contains("\"userId\":\"ann\"");
              }
              List<RecordedRequest> posts =
                  server.requests().stream().filter(r -> r.httpMethod().equals("POST")).toList();
              assertThat(posts)
                  .isNotEmpty()
                  .allSatisfy(
                      r -> {
                        assertThat(r.header("X-User-Id")).contains("ann");
                        assertThat(r.header("X-Client")).contains("starter-test");
                        assertThat(r.header("X-Service")).contains("support");
                      });
            });
  }

  @Test
  void theSecurityBridgeGivesTheSignedInUserAndTokenAsContext() {
    contexts.run(
        context -> {
          CurrentRunOptions current = context.getBean(CurrentRunOptions.class);
          assertThat(current.get().identity()).isEmpty();
          Jwt jwt =
              Jwt.withTokenValue("token-of-bea").header("alg", "RS256").subject("bea").build();
          SecurityContextHolder.getContext()
              .setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
          try {
            RunOptions options = current.get();
            assertThat(options.identity()).contains("bea");
            assertThat(options.context(ContextKey.USER_ID)).contains("bea");
            assertThat(options.context(ContextKey.SUBJECT_TOKEN)).contains("token-of-bea");
            assertThat(options.mcpHeaders().names()).isEmpty();
          } finally {
            SecurityContextHolder.clearContext();
          }
        });
  }

  @Test
  void anOpaqueBearerTokenIsTheSubjectTokenAndAnAnonymousUserGetsTheDefaults() {
    contexts.run(
        context -> {
          CurrentRunOptions current = context.getBean(CurrentRunOptions.class);
          OAuth2AccessToken token =
              new OAuth2AccessToken(
                  OAuth2AccessToken.TokenType.BEARER, "opaque-of-dan", null, null);
          OAuth2AuthenticatedPrincipal principal =
              new DefaultOAuth2AuthenticatedPrincipal(
                  "dan", Map.of("sub", "dan"), AuthorityUtils.NO_AUTHORITIES);
          try {
            SecurityContextHolder.getContext()
                .setAuthentication(new BearerTokenAuthentication(principal, token, List.of()));
            RunOptions options = current.get();
            assertThat(options.identity()).contains("dan");
            assertThat(options.context(ContextKey.SUBJECT_TOKEN)).contains("opaque-of-dan");
            SecurityContextHolder.getContext()
                .setAuthentication(
                    new AnonymousAuthenticationToken(
                        "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANON")));
            assertThat(current.get()).isSameAs(RunOptions.defaults());
          } finally {
            SecurityContextHolder.clearContext();
          }
        });
  }

  @Test
  void withoutSpringSecurityTheCurrentOptionsAreTheDefaults() {
    contexts
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(
            context ->
                assertThat(context.getBean(CurrentRunOptions.class).get())
                    .isSameAs(RunOptions.defaults()));
  }

  @Test
  void withoutSpringAiThereIsNoToolCallbackProvider() {
    contexts
        .withClassLoader(new FilteredClassLoader("org.springframework.ai"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(McpToolbox.class)
                    .doesNotHaveBean(McpRunnerToolCallbackProvider.class));
  }

  @Test
  void optionsInTheToolContextWinOverTheCurrentRequests() {
    contexts
        .withPropertyValues("mcp-runner.servers.crm.url=" + server.url())
        .run(
            context -> {
              server.clearRequests();
              McpRunnerToolCallbackProvider tools =
                  context.getBean(McpRunnerToolCallbackProvider.class);
              RunOptions options =
                  RunOptions.builder()
                      .identity("carl")
                      .mcpHeaders(McpHeaders.of("X-User-Id", "carl", "X-Request-Id", "req-7"))
                      .build();
              String answer =
                  ChatClient.create(new ToolCallingChatModel("whoami"))
                      .prompt()
                      .user("carl")
                      .toolCallbacks(tools)
                      .toolContext(Map.of(McpRunnerToolCallbackProvider.RUN_OPTIONS, options))
                      .call()
                      .content();
              assertThat(answer).contains("\"userId\":\"carl\"");
              assertThat(server.requests())
                  .filteredOn(r -> r.isToolCall("whoami"))
                  .singleElement()
                  .satisfies(r -> assertThat(r.header("X-Request-Id")).contains("req-7"));
            });
  }

  @Test
  void aToolErrorIsThrownAsSpringAisToolExecutionException() {
    contexts
        .withPropertyValues("mcp-runner.servers.crm.url=" + server.url())
        .run(
            context -> {
              ToolCallback listTickets =
                  Arrays.stream(
                          context.getBean(McpRunnerToolCallbackProvider.class).getToolCallbacks())
                      .filter(c -> c.getToolDefinition().name().equals("list_tickets"))
                      .findFirst()
                      .orElseThrow();
              assertThat(listTickets.getToolDefinition().inputSchema()).contains("status");
              // list_tickets fails without an X-Tenant-Id header
              assertThatThrownBy(() -> listTickets.call("{}"))
                  .isInstanceOf(ToolExecutionException.class)
                  .hasMessageContaining("X-Tenant-Id");
            });
  }

  @Test
  void healthIsUpForAReachableServerAndDownForAClosedPort() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=" + server.url(),
            "mcp-runner.servers.crm.headers.Authorization=Bearer static-secret")
        .run(
            context -> {
              server.clearRequests();
              Health health = context.getBean(McpServersHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsKey("crm");
              assertThat(server.requests())
                  .isNotEmpty()
                  .allSatisfy(r -> assertThat(r.header("Authorization")).isEmpty());
            });
    contexts
        .withPropertyValues(
            "mcp-runner.servers.crm.url=" + server.url(),
            "mcp-runner.servers.gone.url=http://127.0.0.1:" + closedPort + "/mcp",
            "mcp-runner.servers.gone.connect-timeout=2s")
        .run(
            context -> {
              Health health = context.getBean(McpServersHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(String.valueOf(health.getDetails().get("gone"))).startsWith("unreachable");
            });
  }

  @Test
  void withoutHealthSupportThereIsNoHealthIndicator() {
    contexts
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(context -> assertThat(context).doesNotHaveBean(McpServersHealthIndicator.class));
  }

  @Test
  void anOpenTelemetryBeanGetsTheRunnersObserver() {
    contexts
        .withBean(OpenTelemetry.class, OpenTelemetry::noop)
        .run(context -> assertThat(context).hasSingleBean(OpenTelemetryObserver.class));
    contexts.run(context -> assertThat(context).doesNotHaveBean(OpenTelemetryObserver.class));
  }

  @Test
  void theStarterCanBeSwitchedOff() {
    contexts
        .withPropertyValues("mcp-runner.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Runner.class));
  }

  static String messages(Throwable failure) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      out.append(t).append('\n');
    }
    return out.toString();
  }
}
