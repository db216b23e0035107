package io.github.mcprunner.spring;

import io.github.mcprunner.spring.internal.McpServersHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code mcpServers} health indicator when Spring Boot's health support (with
 * Actuator) is on the class path: whether each configured MCP server answers HTTP at all, asked
 * without any header (no user's credentials, no static header either).
 */
@AutoConfiguration(after = McpRunnerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(ConfiguredMcpServers.class)
public class McpRunnerHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public McpRunnerHealthAutoConfiguration() {}

  /** The reachability of the configured servers. */
  @Bean(name = "mcpServersHealthIndicator")
  @ConditionalOnMissingBean(name = "mcpServersHealthIndicator")
  public McpServersHealthIndicator mcpServersHealthIndicator(ConfiguredMcpServers servers) {
    return new McpServersHealthIndicator(servers.specs());
  }
}
