package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The authorization code grant keeps tokens per run identity: runs without one (only a {@code
 * USER_ID} in their context) must never share a user's token, unless anonymous runs are allowed.
 */
class AnonymousUserTest {
  private static final String PRM_MCP = "/.well-known/oauth-protected-resource/mcp";

  private LoopbackAuthorization as;
  private McpServerRef server;
  private String challenge;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    String resource = as.base() + "/mcp";
    server = McpServerRef.of("crm", resource);
    as.resourceMetadata(PRM_MCP, resource, as.base(), null)
        .serverMetadata("/.well-known/oauth-authorization-server", as.base(), null);
    challenge = "Bearer error=\"invalid_token\", resource_metadata=\"" + as.base() + PRM_MCP + "\"";
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

  private HeaderContext run(String userId, String identity) {
    return HeaderContext.builder(server)
        .runId("run-" + userId)
        .identity(identity)
        .put(ContextKey.USER_ID, userId)
        .mcpMethod("tools/list")
        .build();
  }

  private McpAuthorizationHeadersProvider.Builder userFlow() {
    return McpAuthorizationHeadersProvider.authorizationCode(
            McpAuthorizationHeadersProviderTest.HEADLESS, URI.create("http://127.0.0.1:1/callback"))
        .maxAttempts(1);
  }

  @Test
  void runsWithDifferentUserIdsAndNoIdentityNeverShareAToken() {
    McpAuthorizationHeadersProvider provider = userFlow().build();

    assertThat(provider.onUnauthorized(run("alice", null), challenge)).isFalse();
    assertThat(provider.onUnauthorized(run("alice", null), challenge)).isFalse();
    assertThat(provider.headers(run("alice", null)).isEmpty()).isTrue();
    assertThat(provider.headers(run("bob", null)).isEmpty()).isTrue();

    assertThat(as.received).as("no discovery, no sign-in").isEmpty();
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().toString().equals("WARN"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getFormattedMessage()).contains("'crm'", "without an identity"));
  }

  @Test
  void runsWithIdentitiesGetSeparateTokens() {
    McpAuthorizationHeadersProvider provider = userFlow().build();

    assertThat(provider.onUnauthorized(run("alice", "alice"), challenge)).isTrue();
    assertThat(provider.headers(run("bob", "bob")).isEmpty()).isTrue();
    assertThat(provider.onUnauthorized(run("bob", "bob"), challenge)).isTrue();

    String alice = Contexts.bearer(provider.headers(run("alice", "alice")));
    String bob = Contexts.bearer(provider.headers(run("bob", "bob")));
    assertThat(alice).isNotEqualTo(bob);
    assertThat(provider.headers(run("carol", null)).isEmpty()).isTrue();
    assertThat(as.received("/authorize")).hasSize(2);
  }

  @Test
  void allowAnonymousUserSharesOneSignInBetweenRunsWithoutIdentity() {
    McpAuthorizationHeadersProvider provider = userFlow().allowAnonymousUser(true).build();

    assertThat(provider.onUnauthorized(run("alice", null), challenge)).isTrue();

    assertThat(Contexts.bearer(provider.headers(run("bob", null))))
        .isEqualTo(Contexts.bearer(provider.headers(run("alice", null))));
    assertThat(provider.headers(run("dave", "dave")).isEmpty())
        .as("a run with an identity does not get the anonymous token")
        .isTrue();
    assertThat(as.received("/authorize")).hasSize(1);
  }

  @Test
  void clientCredentialsServeRunsWithoutIdentity() {
    McpAuthorizationHeadersProvider provider =
        McpAuthorizationHeadersProvider.clientCredentials(
                ClientAuthCase.PRIVATE_KEY_JWT_EC.authentication())
            .build();

    assertThat(provider.onUnauthorized(run("alice", null), challenge)).isTrue();
    assertThat(provider.headers(run("bob", null)).isEmpty()).isFalse();
  }
}
