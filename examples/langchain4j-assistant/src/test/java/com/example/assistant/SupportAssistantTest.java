package com.example.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two users at once through one assistant, against a real MCP server, with a scripted model. */
class SupportAssistantTest {

  /** Calls {@code whoami} for a user message, then answers with the tool's output. */
  static final class ScriptedModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      if (last instanceof UserMessage) {
        return ChatResponse.builder()
            .aiMessage(
                AiMessage.from(
                    ToolExecutionRequest.builder().id("1").name("whoami").arguments("{}").build()))
            .build();
      }
      return ChatResponse.builder()
          .aiMessage(AiMessage.from(((ToolExecutionResultMessage) last).text()))
          .build();
    }
  }

  @Test
  void twoUsersAtOnceEachWithTheirOwnHeaders() throws Exception {
    Map<String, SignedInUser> users =
        Map.of(
            "alice", new SignedInUser("alice", "acme", "token-alice"),
            "bob", new SignedInUser("bob", "globex", "token-bob"));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (EmbeddedMcpServer server = EmbeddedMcpServer.builder().defaultTools().start();
        Runner runner = Runners.builder().build()) {
      SupportAssistant assistant =
          SupportAssistants.create(
              runner,
              List.of(McpServerSpec.builder("tickets", server.url()).build()),
              new ScriptedModel(),
              users::get);

      for (int round = 0; round < 5; round++) {
        CompletableFuture<String> alice =
            CompletableFuture.supplyAsync(() -> assistant.chat("alice", "Who am I?"), threads);
        CompletableFuture<String> bob =
            CompletableFuture.supplyAsync(() -> assistant.chat("bob", "Who am I?"), threads);
        assertThat(alice.get(1, TimeUnit.MINUTES))
            .contains("\"userId\":\"alice\"", "\"tenantId\":\"acme\"", "Bearer token-alice");
        assertThat(bob.get(1, TimeUnit.MINUTES))
            .contains("\"userId\":\"bob\"", "\"tenantId\":\"globex\"", "Bearer token-bob");
      }

      for (RecordedRequest request : server.requests()) {
        String user = request.header("X-User-Id").orElseThrow();
        SignedInUser expected = users.get(user);
        assertThat(request.headerValues("Authorization"))
            .containsExactly("Bearer " + expected.token());
        assertThat(request.headerValues("X-Tenant-Id")).containsExactly(expected.tenantId());
      }
      assertThat(server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())))
          .as("one MCP session per user")
          .hasSize(2);
    } finally {
      threads.shutdown();
    }
  }
}
