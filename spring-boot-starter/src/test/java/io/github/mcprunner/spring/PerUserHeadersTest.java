package io.github.mcprunner.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcprunner.Agent;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * 100 requests of 10 signed-in users, ten at a time, through the Spring AI callbacks (a {@code
 * ChatClient}) and through the runner: each user's token is exchanged at a real OAuth server (token
 * exchange configured by {@code mcprunner.oauth.*} properties), and the MCP server's recording
 * shows that every request carried its own user's exchanged token and user id.
 */
class PerUserHeadersTest {
  private static final int USERS = 10;
  private static final int REQUESTS = 100;
  private static final String APP_AUDIENCE = "the-application";
  private static final Pattern USER_ARGUMENT = Pattern.compile("\"user\"\\s*:\\s*\"([^\"]+)\"");

  private static MockOAuth2Server idp;
  private static EmbeddedMcpServer server;
  private static final Map<String, String> userTokens = new HashMap<>();

  private ApplicationContextRunner contexts;

  @BeforeAll
  static void start() {
    idp = new MockOAuth2Server();
    idp.start();
    server =
        EmbeddedMcpServer.builder()
            .tool(
                "my_tickets",
                "Lists the signed-in user's tickets",
                "{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"string\"}}}",
                (args, request) -> "tickets of " + args.get("user"))
            .start();
    for (int i = 0; i < USERS; i++) {
      String user = "user-" + i;
      userTokens.put(user, idp.issueToken("idp", user, APP_AUDIENCE).serialize());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    idp.shutdown();
  }

  @BeforeEach
  void setUp() {
    server.clearRequests();
    McpHeaderProvider userId =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "user-id";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return context
                .get(ContextKey.USER_ID)
                .map(user -> McpHeaders.of("X-User-Id", user))
                .orElse(McpHeaders.empty());
          }
        };
    contexts =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    McpRunnerAutoConfiguration.class, McpRunnerSpringAiAutoConfiguration.class))
            .withPropertyValues(
                "mcp-runner.servers.tickets.url=" + server.url(),
                "mcprunner.oauth.token-exchange.token-endpoint="
                    + idp.tokenEndpointUrl("idp").uri(),
                "mcprunner.oauth.token-exchange.client-id=mcp-runner",
                "mcprunner.oauth.token-exchange.client-secret=runner-secret")
            .withBean(McpHeaderProvider.class, () -> userId);
  }

  @Test
  void springAiCallbacksSendEachUsersOwnHeadersOnEveryRequest() {
    contexts.run(
        context -> {
          McpRunnerToolCallbackProvider tools =
              context.getBean(McpRunnerToolCallbackProvider.class);
          ChatClient chat = ChatClient.create(new ToolCallingChatModel("my_tickets"));
          List<String> users =
              runAsSignedInUsers(
                  () -> chat.prompt().user(currentUser()).toolCallbacks(tools).call().content(),
                  user -> "tickets of " + user);
          assertEveryRequestCarriedItsOwnUser(users);
        });
  }

  @Test
  void runnerRunsSendEachUsersOwnHeadersOnEveryRequest() {
    contexts.run(
        context -> {
          Runner runner = context.getBean(Runner.class);
          CurrentRunOptions current = context.getBean(CurrentRunOptions.class);
          ConfiguredMcpServers servers = context.getBean(ConfiguredMcpServers.class);
          List<String> users =
              runAsSignedInUsers(
                  () -> {
                    String user = currentUser();
                    Agent agent =
                        Agent.builder("tickets")
                            .model(
                                ScriptedModel.builder()
                                    .callTool("my_tickets", "{\"user\":\"" + user + "\"}")
                                    .answer(ScriptedModel::lastToolOutput)
                                    .build())
                            .mcpServers(servers.specs())
                            .build();
                    RunResult result = runner.run(agent, "my tickets", current.get());
                    return result.finalOutput();
                  },
                  user -> "tickets of " + user);
          assertEveryRequestCarriedItsOwnUser(users);
        });
  }

  /** Runs {@link #REQUESTS} requests, ten at a time, each signed in as one of the users. */
  private static List<String> runAsSignedInUsers(
      Callable<String> request, java.util.function.Function<String, String> expected)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(USERS);
    try {
      List<Future<String>> answers = new ArrayList<>();
      List<String> users = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String user = "user-" + (i % USERS);
        users.add(user);
        answers.add(
            pool.submit(
                () -> {
                  Jwt jwt =
                      Jwt.withTokenValue(userTokens.get(user))
                          .header("alg", "RS256")
                          .subject(user)
                          .build();
                  SecurityContextHolder.getContext()
                      .setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
                  try {
                    return request.call();
                  } finally {
                    SecurityContextHolder.clearContext();
                  }
                }));
      }
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(answers.get(i).get(60, TimeUnit.SECONDS))
            .as("answer to request %d", i)
            .isEqualTo(expected.apply(users.get(i)));
      }
      return users;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String currentUser() {
    return SecurityContextHolder.getContext().getAuthentication().getName();
  }

  /**
   * Every MCP request: an exchanged token (never the user's own) whose subject is the user in
   * {@code X-User-Id}; a tool call's {@code user} argument is that same user; every request of a
   * session is of one user.
   */
  private static void assertEveryRequestCarriedItsOwnUser(List<String> users) {
    List<RecordedRequest> requests =
        server.requests().stream().filter(r -> !r.httpMethod().equals("DELETE")).toList();
    Map<String, String> userOfSession = new HashMap<>();
    Map<String, Integer> callsOfUser = new HashMap<>();
    assertThat(requests).isNotEmpty();
    for (RecordedRequest request : requests) {
      String authorization = request.header("Authorization").orElseThrow();
      assertThat(authorization).startsWith("Bearer ");
      String token = authorization.substring("Bearer ".length());
      assertThat(userTokens).doesNotContainValue(token);
      JWTClaimsSet claims = claims(token);
      String subject = claims.getSubject();
      assertThat(claims.getAudience()).doesNotContain(APP_AUDIENCE);
      assertThat(request.header("X-User-Id")).as("X-User-Id of %s", request).contains(subject);
      if (request.sessionId() != null) {
        String first = userOfSession.putIfAbsent(request.sessionId(), subject);
        assertThat(first == null ? subject : first).as("user of the session").isEqualTo(subject);
      }
      if (request.isToolCall("my_tickets")) {
        Matcher argument = USER_ARGUMENT.matcher(request.body());
        assertThat(argument.find()).isTrue();
        assertThat(argument.group(1)).as("the call's user").isEqualTo(subject);
        callsOfUser.merge(subject, 1, Integer::sum);
      }
    }
    Map<String, Integer> expected = new HashMap<>();
    users.forEach(user -> expected.merge(user, 1, Integer::sum));
    assertThat(callsOfUser).isEqualTo(expected);
  }

  private static JWTClaimsSet claims(String token) {
    try {
      return SignedJWT.parse(token).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AssertionError("not a JWT", e);
    }
  }
}
