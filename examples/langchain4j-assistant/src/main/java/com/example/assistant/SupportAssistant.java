package com.example.assistant;

import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

/** The service's assistant: one instance serves every user; the user id is the chat memory id. */
public interface SupportAssistant {

  /** Answers {@code message} for user {@code userId}, with the MCP tools as that user. */
  String chat(@MemoryId String userId, @UserMessage String message);
}
