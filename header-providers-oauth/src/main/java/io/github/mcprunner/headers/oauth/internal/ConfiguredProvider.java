package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.ClientCredentialsHeadersProvider;
import io.github.mcprunner.headers.oauth.CrossAppAccessHeadersProvider;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth provider found by {@link java.util.ServiceLoader} and configured from system properties
 * and environment variables ({@link OAuthProperties}). With no setting present it is inert: it
 * applies to no server and contributes nothing. With settings that are incomplete or invalid it
 * fails closed: every request to the servers it would apply to fails, naming the setting at fault.
 * Not public API.
 */
abstract class ConfiguredProvider implements McpHeaderProvider {
  private static final Logger log = LoggerFactory.getLogger(ConfiguredProvider.class);

  private final String name;
  private final int order;
  private final @Nullable McpHeaderProvider delegate;
  private final @Nullable String misconfiguration;
  private final List<String> misconfiguredServers;

  ConfiguredProvider(
      OAuthProperties.Grant grant, Map<String, String> systemProperties, Map<String, String> env) {
    OAuthProperties properties = OAuthProperties.read(grant, systemProperties, env);
    McpHeaderProvider built = null;
    String problem = null;
    if (!properties.isEmpty()) {
      try {
        built = properties.build();
        log.info("OAuth header provider configured from properties: {}", built);
      } catch (RuntimeException e) {
        problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        log.error(
            "OAuth header provider '{}' is misconfigured: {}; requests to the MCP servers it"
                + " applies to will fail",
            properties.name(),
            problem);
      }
    }
    this.delegate = built;
    this.misconfiguration = problem;
    this.misconfiguredServers = problem == null ? List.of() : properties.servers();
    this.name = built != null ? built.name() : properties.name();
    this.order = built != null ? built.order() : defaultOrder(grant);
  }

  private static int defaultOrder(OAuthProperties.Grant grant) {
    switch (grant) {
      case TOKEN_EXCHANGE:
        return TokenExchangeHeadersProvider.DEFAULT_ORDER;
      case CROSS_APP_ACCESS:
        return CrossAppAccessHeadersProvider.DEFAULT_ORDER;
      default:
        return ClientCredentialsHeadersProvider.DEFAULT_ORDER;
    }
  }

  static Map<String, String> systemProperties() {
    Properties properties = System.getProperties();
    Map<String, String> copy = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      copy.put(key, properties.getProperty(key));
    }
    return copy;
  }

  /** Returns whether this provider was configured (rightly or not). */
  boolean isConfigured() {
    return delegate != null || misconfiguration != null;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int order() {
    return order;
  }

  @Override
  public McpHeaders headers(HeaderContext context) {
    requireNonNull(context, "context");
    if (delegate != null) {
      return delegate.headers(context);
    }
    if (misconfiguration != null) {
      throw new HeaderProviderException(
          name, context.server().name(), "is misconfigured: " + misconfiguration, null);
    }
    return McpHeaders.empty();
  }

  @Override
  public boolean appliesTo(McpServerRef server) {
    if (delegate != null) {
      return delegate.appliesTo(server);
    }
    if (misconfiguration != null) {
      if (misconfiguredServers.isEmpty() || misconfiguredServers.contains(server.name())) {
        return true;
      }
      for (String entry : misconfiguredServers) {
        try {
          if (entry.contains("://")
              && CanonicalUri.of(java.net.URI.create(entry))
                  .equals(CanonicalUri.of(server.uri()))) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // an unusable entry matches nothing
        }
      }
      return false;
    }
    return false;
  }

  @Override
  public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    return delegate != null && delegate.onUnauthorized(context, wwwAuthenticate);
  }

  @Override
  public String toString() {
    if (delegate != null) {
      return delegate.toString();
    }
    return getClass().getSimpleName()
        + "{name="
        + name
        + (misconfiguration != null ? ", misconfigured" : ", not configured")
        + "}";
  }
}
