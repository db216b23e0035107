package com.example.assistant;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.langchain4j.McpRunnerToolProvider;
import java.util.List;
import java.util.function.Function;

/** Builds the {@link SupportAssistant}: LangChain4j's agent loop, mcp-runner's MCP half. */
public final class SupportAssistants {
  private SupportAssistants() {}

  /**
   * Returns one assistant for every user: its tools are the tools of {@code servers}, listed and
   * called through {@code runner} with the headers of the user the chat memory id names.
   *
   * @param users looks up a signed-in user by id; throws when there is none (the call is refused)
   */
  public static SupportAssistant create(
      Runner runner,
      List<McpServerSpec> servers,
      ChatModel chatModel,
      Function<String, SignedInUser> users) {
    // snippet:assistant
    McpRunnerToolProvider tools =
        McpRunnerToolProvider.builder(runner.toolbox("support-assistant", servers))
            .runOptions(
                invocation -> {
                  SignedInUser user = users.apply(McpRunnerToolProvider.memoryId(invocation));
                  return RunOptions.builder()
                      .identity(user.tenantId() + "/" + user.id())
                      .mcpHeaders(
                          McpHeaders.of(
                              "Authorization", "Bearer " + user.token(),
                              "X-User-Id", user.id(),
                              "X-Tenant-Id", user.tenantId()))
                      .build();
                })
            .build();
    return AiServices.builder(SupportAssistant.class)
        .chatModel(chatModel)
        .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(20))
        .toolProvider(tools)
        .build();
    // end-snippet
  }
}
