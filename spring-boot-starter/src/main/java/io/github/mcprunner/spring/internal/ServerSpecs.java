package io.github.mcprunner.spring.internal;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.spring.McpRunnerProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds {@link McpServerSpec}s and header sets from the {@code mcp-runner.*} properties. Every
 * error names the property at fault and never its value. Not public API.
 */
public final class ServerSpecs {
  private static final String SERVERS = "mcp-runner.servers.";

  private ServerSpecs() {}

  /**
   * Returns the specs of {@code properties}' servers.
   *
   * @throws McpRunnerConfigurationException naming the property at fault
   */
  public static List<McpServerSpec> of(McpRunnerProperties properties) {
    List<McpServerSpec> specs = new ArrayList<>();
    properties.getServers().forEach((name, server) -> specs.add(of(name, server, SERVERS + name)));
    return List.copyOf(specs);
  }

  private static McpServerSpec of(String name, McpRunnerProperties.Server server, String prefix) {
    String url = server.getUrl();
    if (url == null || url.isBlank()) {
      throw new McpRunnerConfigurationException(prefix + ".url", "is not set");
    }
    McpServerSpec.Builder builder;
    try {
      builder = McpServerSpec.builder(name, url.strip());
    } catch (IllegalArgumentException e) {
      throw new McpRunnerConfigurationException(
          prefix + ".url", "must be an absolute http or https URL with a host and no user info");
    }
    builder.headers(headers(server.getHeaders(), prefix + ".headers"));
    builder.transportKind(server.getTransportKind());
    builder.transport(server.getTransport());
    builder.sessionStrategy(server.getSessionStrategy());
    builder.protocol(server.getProtocol());
    builder.reissueLostRequests(server.isReissueLostRequests());
    apply(
        prefix + ".max-input-rounds",
        "must be between 1 and " + McpServerSpec.Builder.MAX_INPUT_ROUNDS_LIMIT,
        () -> builder.maxInputRounds(server.getMaxInputRounds()));
    apply(prefix + ".max-sessions", () -> builder.maxSessions(server.getMaxSessions()));
    apply(
        prefix + ".session-idle-timeout",
        () -> builder.sessionIdleTimeout(server.getSessionIdleTimeout()));
    apply(prefix + ".connect-timeout", () -> builder.connectTimeout(server.getConnectTimeout()));
    apply(prefix + ".request-timeout", () -> builder.requestTimeout(server.getRequestTimeout()));
    apply(
        prefix + ".initialize-timeout",
        () -> builder.initializeTimeout(server.getInitializeTimeout()));
    builder.toolFilter(toolFilter(server.getTools(), server.getExcludeTools()));
    return builder.build();
  }

  /**
   * Returns the headers of a property map ({@code <property>.<Header-Name>=value}); values count as
   * secret (redacted wherever printed).
   *
   * @throws McpRunnerConfigurationException naming the property of an invalid or protected header
   */
  public static McpHeaders headers(Map<String, String> headers, String property) {
    McpHeaders.Builder builder = McpHeaders.builder();
    headers.forEach(
        (name, value) -> {
          String key = property + "." + name;
          if (McpHeaders.isProtected(name)) {
            throw new McpRunnerConfigurationException(
                key, "names a protected header, which the transport sets itself");
          }
          try {
            builder.setSecret(name, value == null ? "" : value);
          } catch (IllegalArgumentException e) {
            throw new McpRunnerConfigurationException(
                key, "is not a valid header (" + e.getMessage() + ")");
          }
        });
    return builder.build();
  }

  private static void apply(String property, Runnable setter) {
    apply(property, "must be positive", setter);
  }

  private static void apply(String property, String rule, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new McpRunnerConfigurationException(property, rule);
    }
  }

  private static Predicate<String> toolFilter(List<String> include, List<String> exclude) {
    Set<String> allowed = Set.copyOf(include);
    Set<String> denied = Set.copyOf(exclude);
    return tool -> (allowed.isEmpty() || allowed.contains(tool)) && !denied.contains(tool);
  }
}
