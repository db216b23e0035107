package io.github.mcprunner.headers.oauth.internal;

import io.github.mcprunner.headers.McpHeaderProvider;
import java.util.Map;

/** Lets tests in other packages build configured providers from a given environment. */
public final class ConfiguredProviderAccess {
  public McpHeaderProvider tokenExchange(Map<String, String> env) {
    return new ConfiguredTokenExchangeProvider(Map.of(), env);
  }

  public McpHeaderProvider crossAppAccess(
      Map<String, String> systemProperties, Map<String, String> env) {
    return new ConfiguredCrossAppAccessProvider(systemProperties, env);
  }
}
