package io.github.mcprunner.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Configuration;

/**
 * A {@code mcp-runner.*} property Spring cannot bind (a header map written as one value, as the
 * providers' own settings are) fails start-up with Spring's failure analysis, which prints the
 * offending value for other properties: for the starter's it names the property and its origin,
 * never the value.
 */
class BindingFailureAnalysisTest {
  private static final String SECRET = "s3cr3t-bound-4711";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final List<Appender<ILoggingEvent>> consoles = new ArrayList<>();

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(McpRunnerAutoConfiguration.class)
  static class App {}

  @BeforeEach
  void capture() {
    // Spring leaves the test's logging alone, and the analysis goes to the list, not the console.
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    root.iteratorForAppenders().forEachRemaining(consoles::add);
    consoles.forEach(root::detachAppender);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void release() {
    root.detachAppender(logs);
    consoles.forEach(root::addAppender);
    System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
  }

  private void start(String... properties) {
    new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(properties)
        .run()
        .close();
  }

  private String printed() {
    StringBuilder out = new StringBuilder();
    for (ILoggingEvent event : logs.list) {
      out.append(event.getFormattedMessage()).append('\n');
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void aHeaderMapGivenAsOneValueFailsStartUpNamingThePropertyNeverTheValue() {
    assertThatThrownBy(
            () ->
                start(
                    "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
                    "mcp-runner.default-headers=X-Api-Key=" + SECRET))
        .satisfies(
            failure ->
                assertThat(McpRunnerAutoConfigurationTest.messages(failure))
                    .doesNotContain(SECRET));

    assertThat(logs.list).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR));
    assertThat(printed())
        .contains(
            "Property: mcp-runner.default-headers",
            "Origin: \"mcp-runner.default-headers\" from property source",
            "values are never echoed",
            "mcp-runner.default-headers.X-Api-Key=...")
        .doesNotContain(SECRET);
  }

  @Test
  void aServerHeaderMapGivenAsOneValueFailsStartUpNamingThePropertyNeverTheValue() {
    assertThatThrownBy(
            () ->
                start(
                    "mcp-runner.servers.crm.url=https://crm.example.com/mcp",
                    "mcp-runner.servers.crm.headers=Authorization: Bearer " + SECRET))
        .isNotNull();

    assertThat(printed())
        .contains("mcp-runner.servers.crm.headers", "values are never echoed")
        .doesNotContain(SECRET);
  }
}
