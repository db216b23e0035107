package io.github.mcprunner.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many users through one LangChain4j {@code AiServices} assistant whose tools come from an MCP
 * server through {@link McpRunnerToolProvider}: every MCP request carries its own user's headers.
 */
class McpRunnerToolProviderTest {
  private static final int USERS = 50;
  private static final int CONVERSATIONS = 10;
  private static final int CONCURRENCY = 16;

  /** The assistant: one method, the user id as chat memory id. */
  interface Assistant {
    String chat(@MemoryId String userId, @dev.langchain4j.service.UserMessage String message);
  }

  /** An assistant method without a memory id. */
  interface AnonymousAssistant {
    String chat(String message);
  }

  /**
   * A scripted LangChain4j model, stateless so any number of conversations can share it: a user
   * message is answered with calls of {@code whoami} and {@code add}, tool results with their text.
   */
  static final class ToolCallingModel implements ChatModel {
    final ConcurrentLinkedQueue<ChatRequest> requests = new ConcurrentLinkedQueue<>();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      requests.add(request);
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      if (last instanceof UserMessage) {
        return ChatResponse.builder()
            .aiMessage(
                AiMessage.from(
                    List.of(
                        ToolExecutionRequest.builder()
                            .id("c1")
                            .name("whoami")
                            .arguments("{}")
                            .build(),
                        ToolExecutionRequest.builder()
                            .id("c2")
                            .name("add")
                            .arguments("{\"a\":20,\"b\":22}")
                            .build())))
            .finishReason(FinishReason.TOOL_EXECUTION)
            .build();
      }
      StringBuilder answer = new StringBuilder();
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (!(messages.get(i) instanceof ToolExecutionResultMessage)) {
          break;
        }
        ToolExecutionResultMessage result = (ToolExecutionResultMessage) messages.get(i);
        answer.insert(0, result.toolName() + "=" + result.text() + (result.isError() ? "!" : ""));
        answer.insert(0, i == messages.size() - 1 ? "" : " ");
      }
      return ChatResponse.builder()
          .aiMessage(AiMessage.from(answer.toString().trim()))
          .finishReason(FinishReason.STOP)
          .build();
    }
  }

  private static RunOptions optionsOf(String userId) {
    return RunOptions.builder()
        .identity(userId)
        .mcpHeaders(McpHeaders.of("X-User-Id", userId, "Authorization", "Bearer token-" + userId))
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = EmbeddedMcpServer.Mode.class,
      names = {"STATEFUL", "STATELESS"})
  void manyUsersThroughOneAssistantEachWithTheirOwnHeaders(EmbeddedMcpServer.Mode mode)
      throws Exception {
    try (EmbeddedMcpServer server = EmbeddedMcpServer.builder().mode(mode).defaultTools().start();
        Runner runner = Runners.builder().discoverHeaderProviders(false).build()) {
      McpToolbox toolbox =
          runner.toolbox(
              "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
      ToolCallingModel model = new ToolCallingModel();
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(model)
              .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(8))
              .toolProvider(
                  McpRunnerToolProvider.builder(toolbox)
                      .runOptions(context -> optionsOf(McpRunnerToolProvider.memoryId(context)))
                      .build())
              .build();

      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
      List<Future<String[]>> answers = new ArrayList<>();
      for (int c = 0; c < CONVERSATIONS; c++) {
        for (int u = 0; u < USERS; u++) {
          String user = "user-" + u;
          String message = "conversation " + c;
          answers.add(pool.submit(() -> new String[] {user, assistant.chat(user, message)}));
        }
      }
      for (Future<String[]> future : answers) {
        String[] answer = future.get(2, TimeUnit.MINUTES);
        // whoami answers from the headers of the request that carried the call
        assertThat(answer[1])
            .contains("\"userId\":\"" + answer[0] + "\"")
            .contains("\"authorization\":\"Bearer token-" + answer[0] + "\"")
            .endsWith("add=42");
      }
      pool.shutdown();

      int calls = 0;
      Map<String, Set<String>> usersPerSession = new HashMap<>();
      Map<String, Integer> initializePerUser = new HashMap<>();
      for (RecordedRequest request : server.requests()) {
        List<String> users = request.headerValues("X-User-Id");
        assertThat(users).as("every request names one user: %s", request).hasSize(1);
        String user = users.get(0);
        assertThat(request.headerValues("Authorization")).containsExactly("Bearer token-" + user);
        if ("tools/call".equals(request.mcpMethod())) {
          calls++;
        }
        if ("initialize".equals(request.mcpMethod())) {
          initializePerUser.merge(user, 1, Integer::sum);
        }
        if (request.sessionId() != null) {
          usersPerSession.computeIfAbsent(request.sessionId(), k -> new HashSet<>()).add(user);
        }
      }
      assertThat(calls).isEqualTo(USERS * CONVERSATIONS * 2);
      assertThat(usersPerSession.values()).allMatch(users -> users.size() == 1);
      if (mode == EmbeddedMcpServer.Mode.STATEFUL) {
        assertThat(initializePerUser).hasSize(USERS).allSatisfy((u, n) -> assertThat(n).isOne());
        assertThat(usersPerSession).hasSize(USERS);
      } else {
        assertThat(usersPerSession).as("no session on a stateless server").isEmpty();
      }
      // the model saw the MCP tools as LangChain4j specifications
      assertThat(model.requests.peek().toolSpecifications())
          .extracting(spec -> spec.name())
          .contains("whoami", "add", "echo_headers");
    }
  }

  @Test
  void anInvocationWithoutAMemoryIdIsRefusedBeforeAnythingIsSent() {
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        Runner runner = Runners.builder().discoverHeaderProviders(false).build()) {
      McpToolbox toolbox =
          runner.toolbox(
              "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
      AnonymousAssistant assistant =
          AiServices.builder(AnonymousAssistant.class)
              .chatModel(new ToolCallingModel())
              .toolProvider(McpRunnerToolProvider.of(toolbox))
              .build();
      assertThatThrownBy(() -> assistant.chat("hello"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no chat memory id");
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void theDefaultMappingUsesTheMemoryIdAsIdentity() {
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .start();
        Runner runner = Runners.builder().discoverHeaderProviders(false).build()) {
      McpToolbox toolbox =
          runner.toolbox(
              "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
      Assistant assistant =
          AiServices.builder(Assistant.class)
              .chatModel(new ToolCallingModel())
              .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(8))
              .toolProvider(McpRunnerToolProvider.of(toolbox))
              .build();
      assistant.chat("alice", "hi");
      assistant.chat("bob", "hi");
      assistant.chat("alice", "again");
      long sessions =
          server.requests().stream().filter(r -> "initialize".equals(r.mcpMethod())).count();
      assertThat(sessions).as("one session per memory id").isEqualTo(2);
    }
  }
}
