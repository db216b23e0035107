package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderProvidersTest {

  @Test
  void discoversTheProviderRegisteredWithAutoService() {
    List<McpHeaderProvider> found = HeaderProviders.discover(getClass().getClassLoader());

    assertThat(found).hasAtLeastOneElementOfType(DiscoverableTestProvider.class);
    assertThatThrownBy(() -> found.add(new DiscoverableTestProvider()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void discoveredProviderTakesPartInTheChain() {
    HeaderChain chain =
        HeaderChain.create(
            McpHeaders.empty(), HeaderProviders.discover(getClass().getClassLoader()));
    RunScope run = RunScope.builder("bot", "r").context(ContextKey.TENANT_ID, "acme").build();

    ResolvedHeaders resolved =
        chain.resolve(
            new HeaderRequest(
                McpServerRef.of("crm", "https://crm.example.com/mcp"),
                McpHeaders.empty(),
                run,
                null,
                null));

    assertThat(resolved.headers().get("X-Tenant-Id")).hasValue("acme");
    assertThat(resolved.contributors())
        .singleElement()
        .isInstanceOf(DiscoverableTestProvider.class);
  }

  @Test
  void classLoaderWithoutRegistrationsFindsNothing() throws Exception {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThat(HeaderProviders.discover(empty)).isEmpty();
    }
  }

  @Test
  void brokenRegistrationFailsNamingTheService(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(McpHeaderProvider.class.getName()),
        "com.example.MissingProvider\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader broken =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> HeaderProviders.discover(broken))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("com.example.MissingProvider");
    }
  }

  @Test
  void failingProviderConstructorPutsItsAdviceInTheTopLevelMessage(@TempDir Path dir)
      throws Exception {
    try (URLClassLoader loader =
        registering(dir, FailingTestProviders.BrokenConfiguration.class.getName())) {
      assertThatThrownBy(() -> HeaderProviders.discover(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "A header provider registered in META-INF/services could not be loaded: "
                  + McpHeaderProvider.class.getName()
                  + ": Provider "
                  + FailingTestProviders.BrokenConfiguration.class.getName()
                  + " could not be instantiated: Header configuration file 'headers.properties'"
                  + " does not exist; set MCPRUNNER_HEADERS_CONFIG_FILE to an existing file")
          .hasRootCauseInstanceOf(FailingTestProviders.ConfigProblem.class);
    }
  }

  @Test
  void foreignRootCauseIsNamedByItsClassOnly(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader =
        registering(dir, FailingTestProviders.ForeignFailure.class.getName())) {
      assertThatThrownBy(() -> HeaderProviders.discover(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageEndingWith("could not be instantiated (caused by java.lang.RuntimeException)")
          .message()
          .doesNotContain("SECRET-VALUE-123");
    }
  }

  private URLClassLoader registering(Path dir, String providerClass) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(McpHeaderProvider.class.getName()),
        providerClass + "\n",
        StandardCharsets.UTF_8);
    // The parent's registrations (DiscoverableTestProvider) load fine; the failing one stops
    // discovery.
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }
}
