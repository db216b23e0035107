package com.example.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Two users signed in at once ask the assistant for their tickets, twenty times each, interleaved.
 * The MCP server's recording shows that every request carried its own user's token, exchanged at
 * the IdP for the MCP server: never the user's own token, never the other user's.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AssistantApplicationTest {
  private static final int ROUNDS = 20;
  private static final Pattern USER_ARGUMENT = Pattern.compile("\"user\"\\s*:\\s*\"([^\"]+)\"");

  static final MockOAuth2Server idp = new MockOAuth2Server();
  static final EmbeddedMcpServer tickets;

  static {
    idp.start();
    tickets =
        EmbeddedMcpServer.builder()
            .tool(
                "my_tickets",
                "Lists the user's open tickets",
                "{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"string\"}}}",
                (args, request) -> "2 open tickets for " + args.get("user"))
            .start();
  }

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry properties) {
    properties.add("mcp-runner.servers.tickets.url", () -> tickets.url().toString());
    properties.add("mcprunner.oauth.token-exchange.issuer", () -> idp.issuerUrl("idp").toString());
    properties.add("mcprunner.oauth.token-exchange.client-secret-file", () -> "");
    properties.add("mcprunner.oauth.token-exchange.client-secret", () -> "test-secret");
    properties.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
        () -> idp.issuerUrl("idp").toString());
  }

  /** A scripted model in place of a real one: calls my_tickets for the user named in the prompt. */
  @TestConfiguration
  static class Model {
    @Bean
    ScriptedChatModel chatModel() {
      return new ScriptedChatModel("my_tickets");
    }
  }

  @Autowired MockMvc mvc;

  @AfterAll
  static void stop() {
    tickets.close();
    idp.shutdown();
  }

  @Test
  void eachRequestCarriesItsOwnUsersExchangedToken() throws Exception {
    Map<String, String> ownTokens =
        Map.of(
            "alice", idp.issueToken("idp", "alice", "assistant").serialize(),
            "bob", idp.issueToken("idp", "bob", "assistant").serialize());
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> users = new ArrayList<>();
      for (String user : ownTokens.keySet()) {
        users.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < ROUNDS; i++) {
                    together.await(30, TimeUnit.SECONDS);
                    String answer =
                        mvc.perform(
                                post("/assistant")
                                    .content(user)
                                    .with(
                                        jwt()
                                            .jwt(
                                                token ->
                                                    token
                                                        .tokenValue(ownTokens.get(user))
                                                        .subject(user))))
                            .andExpect(status().isOk())
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
                    assertThat(answer).isEqualTo("2 open tickets for " + user);
                  }
                  return null;
                }));
      }
      for (Future<?> user : users) {
        user.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<RecordedRequest> requests =
        tickets.requests().stream().filter(r -> !r.httpMethod().equals("DELETE")).toList();
    int calls = 0;
    for (RecordedRequest request : requests) {
      String token = request.header("Authorization").orElseThrow().substring("Bearer ".length());
      assertThat(ownTokens).doesNotContainValue(token); // exchanged, never passed through
      JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
      assertThat(claims.getSubject()).isIn("alice", "bob");
      if (request.isToolCall("my_tickets")) {
        Matcher user = USER_ARGUMENT.matcher(request.body());
        assertThat(user.find()).isTrue();
        assertThat(claims.getSubject())
            .as("token of the call for %s", user.group(1))
            .isEqualTo(user.group(1));
        calls++;
      }
    }
    assertThat(calls).isEqualTo(2 * ROUNDS);
  }
}
