package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Text a server controls (its metadata's {@code resource}, a registered client id) reaches log
 * lines and messages without line breaks or other control characters, and bounded: a server cannot
 * forge log lines or flood them.
 */
class RemoteTextInLogsTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";
  private static final String FORGED = "FORGED 12:00:00 ERROR admin logged in";

  private LoopbackAuthorization as;
  private McpServerRef server;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    server = McpServerRef.of("crm", as.base() + "/mcp");
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void stop() {
    root().detachAppender(logs);
    as.close();
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private HeaderContext alice() {
    return HeaderContext.builder(server).runId("r").identity("alice").build();
  }

  private static void assertSafe(String text) {
    assertThat(text).doesNotContain("\n", "\r", "\u202e", "\u2028").hasSizeLessThan(1200);
  }

  @Test
  void aResourceWithLineBreaksAndThousandsOfCharactersIsCleanedAndCutInTheWarning() {
    String resource = "https://evil.example/x\\r\\n" + FORGED + "\\u202e\\u2028" + "a".repeat(5000);
    as.document(
        PRM_MCP,
        "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\"" + as.base() + "\"]}");
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .build();

    assertThat(provider.onUnauthorized(alice(), "Bearer")).isFalse();

    List<ILoggingEvent> warnings =
        logs.list.stream().filter(e -> e.getLevel().toString().equals("WARN")).toList();
    assertThat(warnings).hasSize(1);
    String message = warnings.get(0).getFormattedMessage();
    assertThat(message).contains("evil.example", "'crm'");
    assertSafe(message);
  }

  @Test
  void aRegisteredClientIdWithLineBreaksIsCleanedInTheLog() {
    as.resourceMetadata(PRM_MCP, server.uri().toString(), as.base(), null)
        .serverMetadata("/.well-known/oauth-authorization-server", as.base(), null);
    as.registrationAnswer =
        "{\"client_id\":\"client\\n" + FORGED + "\",\"token_endpoint_auth_method\":\"none\"}";
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.authorizationCode(
                McpAuthorizationHeadersProviderTest.HEADLESS,
                URI.create("http://127.0.0.1:1/callback"))
            .build();

    assertThat(provider.onUnauthorized(alice(), "Bearer")).isTrue();

    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("registered as client"));
    for (ILoggingEvent event : logs.list) {
      assertSafe(event.getFormattedMessage());
    }
  }
}
