package io.github.mcprunner.headers.oauth;

import static io.github.mcprunner.headers.oauth.Contexts.CRM;
import static io.github.mcprunner.headers.oauth.Contexts.TICKETS;
import static io.github.mcprunner.headers.oauth.Contexts.bearer;
import static io.github.mcprunner.headers.oauth.Contexts.forUser;
import static io.github.mcprunner.headers.oauth.Contexts.withoutUser;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.oauth.ScriptedTokenEndpoint.Answer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every log line at every level, and every exception and description, while the providers do all
 * they do — both grants, every client authentication, cache hits, refresh, 401, retries, refusals,
 * malformed answers, a stopped IdP, configuration from the environment — holds no client secret,
 * private key, user token or issued token. The test IdP's own loggers are left out: it is a test
 * tool and logs the requests it receives.
 */
class SecretsNeverLoggedTest {
  private static final Set<String> IDP_LOGGERS =
      Set.of("no.nav.", "mockwebserver", "okhttp3", "io.netty", "freemarker", "mu.");

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
  private final Handler julHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          julRecords.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final List<java.util.logging.Logger> julLoggers = new ArrayList<>();
  private Level rootLevel;

  @BeforeEach
  void captureEverything() {
    Logger root = rootLogger();
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger("no.nav.security")
        .setLevel(Level.TRACE);
    events.start();
    root.addAppender(events);
    // Caffeine and the JDK's System.Logger users write to java.util.logging.
    for (String name :
        List.of("com.github.benmanes.caffeine", "io.github.mcprunner", "com.nimbusds")) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.ALL);
      logger.addHandler(julHandler);
      julLoggers.add(logger);
    }
  }

  @AfterEach
  void restore() {
    Logger root = rootLogger();
    root.detachAppender(events);
    root.setLevel(rootLevel);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger("no.nav.security")
        .setLevel(Level.ERROR);
    for (java.util.logging.Logger logger : julLoggers) {
      logger.removeHandler(julHandler);
      logger.setLevel(null);
    }
  }

  private static Logger rootLogger() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void noTokenOrSecretAppearsInAnyLogLineExceptionOrDescription() throws Exception {
    Set<String> secrets = new TreeSet<>();
    List<String> texts = new ArrayList<>();
    secrets.add(ClientAuthCase.SECRET);
    secrets.add(
        Base64.getEncoder()
            .encodeToString(TestKeys.RSA.getPrivate().getEncoded())
            .substring(40, 120));
    secrets.add(
        Base64.getEncoder()
            .encodeToString(TestKeys.EC.getPrivate().getEncoded())
            .substring(30, 60));

    // The IdP checks client assertions against its wall clock: this part runs on it.
    MutableClock clock = MutableClock.startingNow();
    TestIdp idp = new TestIdp(clock);
    try {
      // Token exchange with each client authentication: miss, hit, 401, fresh token.
      for (ClientAuthCase auth : ClientAuthCase.values()) {
        TokenExchangeHeadersProvider provider =
            TokenExchangeHeadersProvider.builder()
                .tokenEndpoint(idp.tokenEndpoint())
                .clientAuthentication(auth.authentication())
                .clock(clock)
                .build();
        String userToken = idp.userToken("user-" + auth);
        secrets.add(userToken);
        HeaderContext context = forUser(CRM, userToken);
        secrets.add(bearer(provider.headers(context)));
        secrets.add(bearer(provider.headers(context)));
        provider.onUnauthorized(context, "Bearer error=\"invalid_token\"");
        secrets.add(bearer(provider.headers(context)));
        texts.add(provider.toString());
        texts.add(auth.authentication().toString());
      }
    } finally {
      idp.close();
    }

    clock = MutableClock.aheadOfWallClock();
    idp = new TestIdp(clock);
    try {

      // Client credentials, discovered endpoint, refresh ahead of expiry, then a refresh failure.
      idp.lifetime(Duration.ofSeconds(120));
      ClientCredentialsHeadersProvider service =
          ClientCredentialsHeadersProvider.builder()
              .issuer(idp.issuer())
              .clientAuthentication(ClientAuthCase.CLIENT_SECRET_POST.authentication())
              .clock(clock)
              .executor(Runnable::run)
              .retryBackoff(Duration.ZERO)
              .build();
      secrets.add(bearer(service.headers(withoutUser(TICKETS))));
      clock.advance(Duration.ofSeconds(70));
      secrets.add(bearer(service.headers(withoutUser(TICKETS))));
      secrets.add(bearer(service.headers(withoutUser(TICKETS))));
      idp.stop();
      clock.advance(Duration.ofSeconds(70));
      secrets.add(bearer(service.headers(withoutUser(TICKETS))));
      clock.advance(Duration.ofSeconds(60));
      texts.add(failure(service, withoutUser(TICKETS)));
      texts.add(service.toString());
    } finally {
      idp.close();
    }

    // A token endpoint that fails in every other way.
    try (ScriptedTokenEndpoint endpoint = new ScriptedTokenEndpoint()) {
      String userToken = "user-token-for-the-scripted-endpoint";
      secrets.add(userToken);
      secrets.add("token-after-retries");
      secrets.add("leaked-token-in-a-malformed-body");
      endpoint.script(
          n -> {
            switch (n) {
              case 1:
              case 2:
                return Answer.json(503, "{\"error\":\"temporarily_unavailable\"}");
              case 3:
                return Answer.json(
                    200,
                    "{\"access_token\":\"token-after-retries\","
                        + "\"token_type\":\"Bearer\",\"expires_in\":60}");
              case 4:
                return Answer.json(
                    400,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"bad subject "
                        + userToken
                        + "\"}");
              default:
                return Answer.json(200, "{\"access_token\":\"leaked-token-in-a-malformed-body\"");
            }
          });
      TokenExchangeHeadersProvider provider =
          TokenExchangeHeadersProvider.builder()
              .tokenEndpoint(endpoint.uri())
              .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
              .retryBackoff(Duration.ofMillis(1))
              .build();
      assertThat(bearer(provider.headers(forUser(CRM, userToken))))
          .isEqualTo("token-after-retries");
      texts.add(failure(provider, forUser(TICKETS, userToken)));
      texts.add(failure(provider, forUser(McpServerRefs.OTHER, userToken)));
    }

    // Configuration from the environment: once wrong, once right.
    List<McpHeaderProvider> configured = new ArrayList<>();
    configured.add(
        new io.github.mcprunner.headers.oauth.internal.ConfiguredProviderAccess()
            .tokenExchange(
                java.util.Map.of(
                    "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID",
                    "c",
                    "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_SECRET",
                    ClientAuthCase.SECRET)));
    configured.add(
        new io.github.mcprunner.headers.oauth.internal.ConfiguredProviderAccess()
            .tokenExchange(
                java.util.Map.of(
                    "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_TOKEN_ENDPOINT",
                        "https://idp.example.com/token",
                    "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID", "c",
                    "MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_SECRET", ClientAuthCase.SECRET)));
    ServiceLoader.load(McpHeaderProvider.class).forEach(configured::add);
    for (McpHeaderProvider provider : configured) {
      texts.add(provider.toString());
      texts.add(failure(provider, forUser(CRM, "user-token-for-the-scripted-endpoint")));
    }

    Set<String> levels = new TreeSet<>();
    List<String> logged = capturedLines(levels);

    System.out.println(
        "log capture: "
            + logged.size()
            + " captured lines (levels "
            + levels
            + " from mcp-runner loggers), "
            + texts.size()
            + " exception texts and descriptions, checked against "
            + secrets.size()
            + " secrets");
    assertThat(levels).contains("DEBUG", "INFO", "WARN", "ERROR");
    for (String secret : secrets) {
      assertThat(logged).as("log lines").noneMatch(line -> line.contains(secret));
      assertThat(texts).as("exceptions and descriptions").noneMatch(text -> text.contains(secret));
    }
  }

  @Test
  void crossAppAccessLogsNoIdTokenIdJagAccessTokenOrSecret() throws Exception {
    Set<String> secrets = new TreeSet<>();
    List<String> texts = new ArrayList<>();
    secrets.add(EnterpriseAuthServers.IDP_CLIENT_SECRET);
    secrets.add(EnterpriseAuthServers.CLIENT_SECRET);
    MutableClock clock = MutableClock.startingNow();
    try (EnterpriseAuthServers servers = new EnterpriseAuthServers(clock)) {
      servers.accessTokenLifetime(120);
      CrossAppAccessHeadersProvider provider =
          CrossAppAccessHeadersProvider.builder()
              .idpIssuer(servers.idpIssuer())
              .idpClientAuthentication(
                  ClientAuthentication.clientSecretPost(
                      EnterpriseAuthServers.IDP_CLIENT_ID, EnterpriseAuthServers.IDP_CLIENT_SECRET))
              .issuer(servers.asIssuer())
              .clientAuthentication(ClientAuthCase.CLIENT_SECRET_BASIC.authentication())
              .clock(clock)
              .executor(Runnable::run)
              .retryBackoff(Duration.ZERO)
              .build();
      String idToken = servers.idToken("alice");
      secrets.add(idToken);
      HeaderContext context = xaaContext(CRM, idToken);
      // Miss, hit, 401, refresh ahead of expiry.
      secrets.add(bearer(provider.headers(context)));
      secrets.add(bearer(provider.headers(context)));
      provider.onUnauthorized(context, "Bearer error=\"invalid_token\"");
      secrets.add(bearer(provider.headers(context)));
      clock.advance(Duration.ofSeconds(70));
      secrets.add(bearer(provider.headers(context)));
      secrets.add(bearer(provider.headers(context)));
      // Error answers that echo what they were sent: the ID token, the ID-JAG.
      servers.scriptIdp(
          request ->
              new EnterpriseAuthServers.Answer(
                  400,
                  "{\"error\":\"invalid_grant\",\"error_description\":\"bad "
                      + request.form().get("subject_token")
                      + "\"}"));
      texts.add(failure(provider, xaaContext(TICKETS, idToken)));
      servers.scriptIdp(null);
      servers.scriptAs(
          request ->
              new EnterpriseAuthServers.Answer(
                  request.form().get("scope") == null ? 503 : 400,
                  "{\"error\":\"invalid_grant\",\"error_description\":\"bad "
                      + request.form().get("assertion")
                      + "\"}"));
      texts.add(failure(provider, xaaContext(McpServerRefs.OTHER, idToken)));
      // The IdP answers an access token where an ID-JAG was asked for.
      servers.scriptIdp(
          request ->
              new EnterpriseAuthServers.Answer(
                  200,
                  "{\"access_token\":\"leaked-access-token-from-the-idp\",\"token_type\":"
                      + "\"Bearer\",\"issued_token_type\":"
                      + "\"urn:ietf:params:oauth:token-type:access_token\"}"));
      secrets.add("leaked-access-token-from-the-idp");
      texts.add(failure(provider, xaaContext(McpServerRefs.FOURTH, idToken)));
      // A refresh that fails: the authorization server is gone.
      servers.scriptIdp(null);
      servers.scriptAs(null);
      clock.advance(Duration.ofSeconds(200));
      secrets.add(bearer(provider.headers(context)));
      servers.asRequests().forEach(request -> secrets.add(request.form().get("assertion")));
      servers.close();
      clock.advance(Duration.ofSeconds(70));
      secrets.add(bearer(provider.headers(context)));
      clock.advance(Duration.ofSeconds(60));
      texts.add(failure(provider, context));
      texts.add(provider.toString());
    }

    Set<String> levels = new TreeSet<>();
    List<String> logged = capturedLines(levels);
    System.out.println(
        "cross-app access log capture: "
            + logged.size()
            + " captured lines (levels "
            + levels
            + "), "
            + texts.size()
            + " exception texts and descriptions, checked against "
            + secrets.size()
            + " secrets");
    assertThat(levels).contains("DEBUG", "INFO", "WARN");
    assertThat(texts).anyMatch(text -> text.contains("at the enterprise IdP failed"));
    assertThat(texts).anyMatch(text -> text.contains("at the MCP authorization server failed"));
    for (String secret : secrets) {
      assertThat(logged).as("log lines").noneMatch(line -> line.contains(secret));
      assertThat(texts).as("exceptions and descriptions").noneMatch(text -> text.contains(secret));
    }
  }

  private static HeaderContext xaaContext(
      io.github.mcprunner.headers.McpServerRef server, String idToken) {
    return HeaderContext.builder(server)
        .runId("run-xaa")
        .mcpMethod("tools/call")
        .put(CrossAppAccessHeadersProvider.ID_TOKEN, idToken)
        .build();
  }

  /**
   * Returns every captured log line, MDC value and stack frame except the test IdP's, adding the
   * levels logged by mcp-runner's loggers to {@code levels}.
   */
  private List<String> capturedLines(Set<String> levels) {
    List<String> logged = new ArrayList<>();
    for (ILoggingEvent event : events.list) {
      if (IDP_LOGGERS.stream().anyMatch(prefix -> event.getLoggerName().startsWith(prefix))) {
        continue;
      }
      if (event.getLoggerName().startsWith("io.github.mcprunner")) {
        levels.add(event.getLevel().toString());
      }
      logged.add(
          event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage());
      event.getMDCPropertyMap().values().forEach(logged::add);
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        logged.add(t.getClassName() + ": " + t.getMessage());
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
          logged.add(frame.getSTEAsString());
        }
      }
    }
    for (LogRecord record : julRecords) {
      logged.add(record.getLoggerName() + " " + record.getLevel() + " " + record.getMessage());
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          logged.add(String.valueOf(parameter));
        }
      }
      if (record.getThrown() != null) {
        logged.add(stackTrace(record.getThrown()));
      }
    }

    return logged;
  }

  /** Returns the full stack trace text of the provider's failure for {@code context}. */
  private static String failure(McpHeaderProvider provider, HeaderContext context) {
    try {
      provider.headers(context);
      return "";
    } catch (RuntimeException e) {
      return stackTrace(e);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static final class McpServerRefs {
    static final io.github.mcprunner.headers.McpServerRef OTHER =
        io.github.mcprunner.headers.McpServerRef.of("other", "https://other.example.com/mcp");
    static final io.github.mcprunner.headers.McpServerRef FOURTH =
        io.github.mcprunner.headers.McpServerRef.of("fourth", "https://fourth.example.com/mcp");
  }
}
