/**
 * Model adapters on the official OpenAI Java SDK: {@link
 * io.github.mcprunner.model.openai.OpenAiResponsesModel} (Responses API) and {@link
 * io.github.mcprunner.model.openai.OpenAiChatCompletionsModel} (Chat Completions API), for OpenAI
 * and for OpenAI-compatible endpoints (Azure OpenAI, vLLM, Ollama, LM Studio) through a
 * configurable base URL.
 */
@NullMarked
package io.github.mcprunner.model.openai;

import org.jspecify.annotations.NullMarked;
