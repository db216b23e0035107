package io.github.mcprunner.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import java.net.URI;
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
}
