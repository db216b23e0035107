package io.github.mcprunner.headers.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.oauth.internal.CacheKey;
import io.github.mcprunner.headers.oauth.internal.TokenEndpointResolver;
import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.TokenKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An MCP server URL may carry a key in its query ({@code /mcp?api_key=...}); its canonical form is
 * the tokens' resource. The values of that query reach no log line (at any level), exception
 * message or {@code toString()}: URLs print as {@link McpServerRef#printable(URI)} does.
 */
class UrlQueryValuesNeverPrintedTest {
  private static final String PRM = "/.well-known/oauth-protected-resource/mcp";
  private static final String AS_META = "/.well-known/oauth-authorization-server";
  private static final String QUERY_SECRET = "q-s3cret-4711";

  private LoopbackAuthorization as;
  private McpServerRef server;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level previousLevel;

  @BeforeEach
  void start() throws Exception {
    as = new LoopbackAuthorization();
    server = McpServerRef.of("crm", as.base() + "/mcp?api_key=" + QUERY_SECRET);
    logs.start();
    root().addAppender(logs);
    Logger oauth = context().getLogger("io.github.mcprunner.headers.oauth");
    previousLevel = oauth.getLevel();
    oauth.setLevel(Level.DEBUG); // debug lines must not leak either
    oauth.setAdditive(true);
  }

  @AfterEach
  void stop() {
    context().getLogger("io.github.mcprunner.headers.oauth").setLevel(previousLevel);
    root().detachAppender(logs);
    as.close();
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  private static Logger root() {
    return context().getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private HeaderContext alice() {
    return HeaderContext.builder(server).runId("r").identity("alice").build();
  }

  private String challenge() {
    return "Bearer error=\"invalid_token\", resource_metadata=\"" + as.base() + PRM + "\"";
  }

  private McpAuthorizationHeadersProvider provider() {
    return McpAuthorizationHeadersProvider.authorizationCode(
            McpAuthorizationHeadersProviderTest.HEADLESS, URI.create("http://127.0.0.1:1/callback"))
        .maxAttempts(1)
        .build();
  }

  private void assertNoLogLineHoldsTheQueryValue() {
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(QUERY_SECRET);
    }
  }

  @Test
  void metadataForAnotherResourceIsRefusedNamingTheServerUrlWithItsQueryValuesRedacted() {
    as.resourceMetadata(PRM, "https://other.example/mcp?api_key=" + QUERY_SECRET, as.base(), null);

    assertThat(provider().onUnauthorized(alice(), challenge())).isFalse();

    List<String> warnings =
        logs.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("other.example/mcp?api_key=██", "/mcp?api_key=██)", "'crm'");
    assertNoLogLineHoldsTheQueryValue();
  }

  @Test
  void aServerWhoseUrlHasAQueryIsAuthorizedWithoutItsQueryValuesInAnyLogLine() {
    as.resourceMetadata(PRM, server.uri().toString(), as.base(), null)
        .serverMetadata(AS_META, as.base(), null);
    McpAuthorizationHeadersProvider provider = provider();

    assertThat(provider.onUnauthorized(alice(), challenge())).isTrue();
    assertThat(provider.headers(alice()).get("Authorization"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer access-token-"));
    // The resource of the token request is the server's canonical URL, query and all.
    assertThat(as.received("/token").get(0).param("resource")).contains(QUERY_SECRET);

    assertNoLogLineHoldsTheQueryValue();
    assertThat(provider.toString()).doesNotContain(QUERY_SECRET);
  }

  @Test
  void keysAndTargetsPrintTheirResourceWithItsQueryValuesRedacted() {
    String resource = "https://crm.example/mcp?api_key=" + QUERY_SECRET;

    assertThat(TokenKey.of("p", "alice", resource, "scope=a").toString())
        .contains("resource=https://crm.example/mcp?api_key=██")
        .doesNotContain(QUERY_SECRET);
    // A registration is keyed by the token endpoint when the metadata names no issuer.
    assertThat(
            ClientRegistration.of(
                    "https://as.example/token?code=" + QUERY_SECRET,
                    "client",
                    "secret",
                    "client_secret_post")
                .toString())
        .contains("issuer=https://as.example/token?code=██")
        .doesNotContain(QUERY_SECRET);
    assertThat(CacheKey.forIdentity("alice", "client", resource, "a").toString())
        .contains("resource=https://crm.example/mcp?api_key=██")
        .doesNotContain(QUERY_SECRET);
    assertThat(
            TokenTarget.builder()
                .audience(resource)
                .resource(URI.create(resource))
                .build()
                .toString())
        .contains("audience=https://crm.example/mcp?api_key=██")
        .doesNotContain(QUERY_SECRET);
    assertThat(
            AuthorizationTarget.of(URI.create("https://as.example"), URI.create(resource))
                .toString())
        .contains("resource=https://crm.example/mcp?api_key=██")
        .doesNotContain(QUERY_SECRET);
  }

  @Test
  void providersPrintTheirTokenEndpointsWithQueryValuesRedacted() {
    URI endpoint = URI.create("https://login.example.com/oauth2/token?code=" + QUERY_SECRET);
    ClientAuthentication client = ClientAuthentication.clientSecretBasic("client", "secret");
    List<Object> providers =
        List.of(
            ClientCredentialsHeadersProvider.builder()
                .tokenEndpoint(endpoint)
                .clientAuthentication(client)
                .build(),
            TokenExchangeHeadersProvider.builder()
                .tokenEndpoint(endpoint)
                .clientAuthentication(client)
                .build(),
            CrossAppAccessHeadersProvider.builder()
                .idpTokenEndpoint(endpoint)
                .idpPublicClient("idp-client")
                .issuer(URI.create("https://as.example"))
                .tokenEndpoint(endpoint)
                .clientAuthentication(client)
                .build());

    for (Object provider : providers) {
      assertThat(provider.toString())
          .contains("login.example.com/oauth2/token?code=██")
          .doesNotContain(QUERY_SECRET);
    }
  }

  @Test
  void aDiscoveredTokenEndpointIsLoggedWithItsQueryValuesRedacted() throws Exception {
    as.document(
        AS_META,
        "{\"issuer\":\""
            + as.base()
            + "\",\"token_endpoint\":\""
            + as.base()
            + "/token?code="
            + QUERY_SECRET
            + "\",\"response_types_supported\":[\"code\"]}");
    TokenEndpointResolver resolver =
        TokenEndpointResolver.discovering(
            URI.create(as.base()), false, Duration.ofSeconds(2), Duration.ofSeconds(2));

    assertThat(resolver.tokenEndpoint().getRawQuery()).isEqualTo("code=" + QUERY_SECRET);

    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("Discovered token endpoint"));
    assertNoLogLineHoldsTheQueryValue();
    assertThat(resolver.toString()).doesNotContain(QUERY_SECRET);
  }
}
