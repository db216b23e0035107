/**
 * LangChain4j bridge: {@link io.github.mcprunner.langchain4j.LangChain4jModel}, a runner {@link
 * io.github.mcprunner.model.Model} over any LangChain4j {@code ChatModel} or {@code
 * StreamingChatModel}, so the runner's agent loop can use every model provider LangChain4j
 * supports; and {@link io.github.mcprunner.langchain4j.McpRunnerToolProvider}, a LangChain4j {@code
 * ToolProvider} whose tools come from an mcp-runner toolbox, per user.
 */
@NullMarked
package io.github.mcprunner.langchain4j;

import org.jspecify.annotations.NullMarked;
