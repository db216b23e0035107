package io.github.mcprunner.spring.internal;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.oauth.OAuthSettings;
import java.util.List;
import java.util.Map;

/** The one place that touches the optional OAuth module, loaded only when it is present. */
final class OAuthProviders {
  private OAuthProviders() {}

  static List<McpHeaderProvider> of(Map<String, String> settings, Map<String, String> env) {
    return OAuthSettings.providers(settings, env);
  }
}
