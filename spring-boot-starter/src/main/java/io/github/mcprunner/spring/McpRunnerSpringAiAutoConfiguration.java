package io.github.mcprunner.spring;

import io.github.mcprunner.McpToolbox;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link McpRunnerToolCallbackProvider} over the starter's toolbox when Spring
 * AI's tool API ({@code spring-ai-model}) is on the class path.
 */
@AutoConfiguration(after = McpRunnerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.ai.tool.ToolCallbackProvider")
@ConditionalOnBean(McpToolbox.class)
public class McpRunnerSpringAiAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public McpRunnerSpringAiAutoConfiguration() {}

  /** The tool callbacks of the toolbox, per user. */
  @Bean
  @ConditionalOnMissingBean
  public McpRunnerToolCallbackProvider mcpRunnerToolCallbackProvider(
      McpToolbox toolbox, CurrentRunOptions currentRunOptions) {
    return new McpRunnerToolCallbackProvider(toolbox, currentRunOptions);
  }
}
