package io.github.mcprunner.core.internal;

import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;

/**
 * Providers whose constructor fails, as a provider with a broken configuration does, registered
 * only by {@link HeaderProvidersTest} (through a class loader of its own), never discovered by
 * other tests.
 */
final class FailingTestProviders {
  private FailingTestProviders() {}

  /** Stands for a project exception such as {@code HeaderConfigException}: message value-free. */
  public static final class ConfigProblem extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ConfigProblem(String message) {
      super(message);
    }
  }

  abstract static class Base implements McpHeaderProvider {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      return McpHeaders.empty();
    }
  }

  /** Fails as {@code ConfiguredHeadersProvider} does when its file is missing. */
  public static final class BrokenConfiguration extends Base {
    public BrokenConfiguration() {
      throw new ConfigProblem(
          "Header configuration file 'headers.properties' does not exist; set"
              + " MCPRUNNER_HEADERS_CONFIG_FILE to an existing file");
    }
  }

  /** Fails with a foreign exception whose message holds a secret. */
  public static final class ForeignFailure extends Base {
    public ForeignFailure() {
      throw new IllegalArgumentException(
          "wrapped", new RuntimeException("token=SECRET-VALUE-123 was refused"));
    }
  }
}
