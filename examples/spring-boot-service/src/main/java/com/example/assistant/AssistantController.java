package com.example.assistant;

import io.github.mcprunner.spring.McpRunnerToolCallbackProvider;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The assistant's endpoint: one ChatClient for every user, MCP tools per signed-in user. */
@RestController
public class AssistantController {
  private final ChatClient chatClient;
  private final McpRunnerToolCallbackProvider mcpTools;

  public AssistantController(ChatModel chatModel, McpRunnerToolCallbackProvider mcpTools) {
    this.chatClient = ChatClient.create(chatModel);
    this.mcpTools = mcpTools;
  }

  @PostMapping("/assistant")
  public String ask(@RequestBody String question) {
    // snippet:spring-ai
    // The starter's callbacks: each MCP request carries the signed-in user's exchanged token.
    return chatClient.prompt().user(question).toolCallbacks(mcpTools).call().content();
    // end-snippet
  }
}
