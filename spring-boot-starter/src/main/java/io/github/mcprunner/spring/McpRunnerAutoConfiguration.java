package io.github.mcprunner.spring;

import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.RunnerBuilder;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.observability.opentelemetry.OpenTelemetryObserver;
import io.github.mcprunner.observe.RunObserver;
import io.github.mcprunner.spring.internal.SecurityContextRunOptions;
import io.github.mcprunner.spring.internal.ServerSpecs;
import io.github.mcprunner.spring.internal.SettingsHeaderProviders;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configures mcp-runner: the {@link Runner} (closed with the context), the {@link
 * ConfiguredMcpServers} and {@link McpToolbox} of the {@code mcp-runner.servers.*} properties, the
 * header providers of the providers' own settings, and the {@link CurrentRunOptions} of the current
 * request. Every bean backs off when the application defines one of its type.
 *
 * <p>Header providers, lowest first within layer 3 of the chain, are ordered by their own {@code
 * order()} and {@code name()}, wherever they come from: every {@link McpHeaderProvider} bean, the
 * providers configured by {@code mcprunner.headers.*}/{@code mcprunner.oauth.*} settings, and the
 * providers found with {@link java.util.ServiceLoader}. A discovered provider with the name of a
 * bean or a configured one is left out: the bean wins.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mcp-runner", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(McpRunnerProperties.class)
public class McpRunnerAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public McpRunnerAutoConfiguration() {}

  /** The servers of the {@code mcp-runner.servers.*} properties. */
  @Bean
  @ConditionalOnMissingBean
  public ConfiguredMcpServers mcpRunnerServers(McpRunnerProperties properties) {
    return new ConfiguredMcpServers(ServerSpecs.of(properties));
  }

  /** The providers that {@code mcprunner.headers.*} and {@code mcprunner.oauth.*} configure. */
  @Bean
  @ConditionalOnMissingBean
  public SettingsHeaderProviders mcpRunnerSettingsHeaderProviders(
      ConfigurableEnvironment environment) {
    return SettingsHeaderProviders.from(environment);
  }

  /** The runner, with every header provider, observer and transport bean. */
  @Bean
  @ConditionalOnMissingBean
  public Runner mcpRunner(
      McpRunnerProperties properties,
      SettingsHeaderProviders settingsProviders,
      ObjectProvider<McpHeaderProvider> headerProviders,
      ObjectProvider<RunObserver> observers,
      ObjectProvider<McpTransportFactory> transports) {
    RunnerBuilder builder =
        Runners.builder()
            .defaultMcpHeaders(
                ServerSpecs.headers(properties.getDefaultHeaders(), "mcp-runner.default-headers"))
            .discoverHeaderProviders(properties.isDiscoverHeaderProviders())
            .discoverObservers(properties.isDiscoverObservers());
    headerProviders.orderedStream().forEach(builder::headerProvider);
    settingsProviders.providers().forEach(builder::headerProvider);
    observers.orderedStream().forEach(builder::observer);
    transports.orderedStream().forEach(builder::transport);
    return builder.build();
  }

  /** The toolbox of the configured servers, for the Spring AI callbacks and the application. */
  @Bean
  @ConditionalOnMissingBean
  public McpToolbox mcpRunnerToolbox(
      Runner runner, ConfiguredMcpServers servers, McpRunnerProperties properties) {
    return runner.toolbox(properties.getToolboxName(), servers.specs());
  }

  /** Without Spring Security: the current request's options are the defaults. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
  static class PlainRunOptions {
    @Bean
    @ConditionalOnMissingBean
    CurrentRunOptions mcpRunnerCurrentRunOptions() {
      return RunOptions::defaults;
    }
  }

  /** With Spring Security: the signed-in user's identity and token. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
  static class SecurityRunOptions {
    @Bean
    @ConditionalOnMissingBean
    CurrentRunOptions mcpRunnerCurrentRunOptions() {
      return new SecurityContextRunOptions();
    }
  }

  /** With observability-opentelemetry and an {@code OpenTelemetry} bean: the runner's observer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "io.github.mcprunner.observability.opentelemetry.OpenTelemetryObserver",
        "io.opentelemetry.api.OpenTelemetry"
      })
  static class OpenTelemetryObservation {
    @Bean
    @ConditionalOnBean(OpenTelemetry.class)
    @ConditionalOnMissingBean(OpenTelemetryObserver.class)
    OpenTelemetryObserver mcpRunnerOpenTelemetryObserver(OpenTelemetry openTelemetry) {
      return OpenTelemetryObserver.create(openTelemetry);
    }
  }
}
