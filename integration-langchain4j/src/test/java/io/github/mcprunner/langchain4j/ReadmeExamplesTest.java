package io.github.mcprunner.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java blocks of this module's README, compiled and run (with a scripted chat model). */
class ReadmeExamplesTest {

  @Test
  void agentOnALangChain4jChatModel() {
    ScriptedChatModel scripted =
        new ScriptedChatModel()
            .thenCall(ScriptedChatModel.call("c1", "whoami", "{}"))
            .thenAnswer("You are alice at acme.");
    try (EmbeddedMcpServer mcp = EmbeddedMcpServer.builder().defaultTools().start()) {
      RunResult result = run(scripted, mcp.url(), "alice-token", "acme");

      assertThat(result.finalOutput()).isEqualTo("You are alice at acme.");
      assertThat(mcp.requests().stream().filter(r -> r.isToolCall("whoami")))
          .singleElement()
          .satisfies(r -> assertThat(r.header("X-Tenant-Id")).contains("acme"));
    }
  }

  private static RunResult run(ChatModel chatModel, URI crmUrl, String userToken, String tenantId) {
    // snippet:agent-on-chat-model
    // chatModel: any LangChain4j ChatModel (OpenAiChatModel, AnthropicChatModel, ...)
    Agent agent =
        Agent.builder("support")
            .instructions("You help support agents. Use the tools.")
            .model(LangChain4jModel.of(chatModel))
            .mcpServer(McpServerSpec.builder("crm", crmUrl).build())
            .build();

    try (Runner runner = Runners.builder().build()) {
      return runner.run(
          agent,
          "Who am I?",
          McpHeaders.of("Authorization", "Bearer " + userToken, "X-Tenant-Id", tenantId));
    }
    // end-snippet
  }

  /** The assistant of the README's tool-provider example. */
  interface Assistant {
    String chat(@MemoryId String userId, @UserMessage String message);
  }

  /** A signed-in user of the README's tool-provider example. */
  record SignedInUser(String id, String token) {}

  @Test
  void toolsOfAnAiServicePerUser() {
    try (EmbeddedMcpServer mcp = EmbeddedMcpServer.builder().defaultTools().start();
        Runner runner = Runners.builder().build()) {
      Assistant assistant =
          assistant(
              runner,
              mcp.url(),
              new McpRunnerToolProviderTest.ToolCallingModel(),
              userId -> new SignedInUser(userId, "token-of-" + userId));

      assertThat(assistant.chat("alice", "Who am I?"))
          .contains("\"authorization\":\"Bearer token-of-alice\"");
      assertThat(assistant.chat("bob", "Who am I?"))
          .contains("\"authorization\":\"Bearer token-of-bob\"");
    }
  }

  private static Assistant assistant(
      Runner runner,
      URI crmUrl,
      ChatModel chatModel,
      java.util.function.Function<String, SignedInUser> signedInUser) {
    // snippet:tool-provider
    McpToolbox toolbox =
        runner.toolbox("assistant", List.of(McpServerSpec.builder("crm", crmUrl).build()));

    McpRunnerToolProvider tools =
        McpRunnerToolProvider.builder(toolbox)
            .runOptions(
                invocation -> {
                  // the chat memory id names the user; refused when the invocation has none
                  SignedInUser user =
                      signedInUser.apply(McpRunnerToolProvider.memoryId(invocation));
                  return RunOptions.builder()
                      .identity(user.id())
                      .mcpHeaders(McpHeaders.of("Authorization", "Bearer " + user.token()))
                      .build();
                })
            .build();

    Assistant assistant =
        AiServices.builder(Assistant.class)
            .chatModel(chatModel)
            .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(20))
            .toolProvider(tools)
            .build();
    // end-snippet
    return assistant;
  }
}
