package com.example.sso;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Headers from Example Corp's single sign-on for every MCP request: for the run's signed-in user
 * ({@link ContextKey#USER_ID} in the run context), a short-lived SSO ticket issued for the MCP
 * server being called (its URI is the ticket's audience), sent as {@code Authorization: Bearer
 * <ticket>}, and the user's id as {@code X-Example-User}.
 *
 * <p>Tickets come from the SSO's token endpoint and are cached per user and server until shortly
 * before they expire; when a server answers 401 the cached ticket is dropped and the request
 * retried once with a new one.
 *
 * <p><b>Discovery.</b> Registered for {@link java.util.ServiceLoader} with {@code @AutoService}, so
 * adding this jar is enough: the runner finds it. It reads its settings when created (system
 * property, else environment variable):
 *
 * <ul>
 *   <li>{@code example.sso.endpoint} / {@code EXAMPLE_SSO_ENDPOINT}: the token endpoint URL;
 *       without it the provider is inert (applies to no server).
 *   <li>{@code example.sso.client-secret} / {@code EXAMPLE_SSO_CLIENT_SECRET}: this service's
 *       secret at the SSO.
 * </ul>
 *
 * <pre>{@code
 * runner.run(agent, "What are my open tickets?",
 *     RunOptions.builder().context(ContextKey.USER_ID, signedInUser).build());
 * }</pre>
 *
 * <p>Thread-safe. A run without a signed-in user gets nothing from it. It fails a request closed
 * when the SSO cannot issue a ticket. Nothing it logs, throws or prints holds a ticket or secret.
 */
@AutoService(McpHeaderProvider.class)
public final class ExampleSsoHeaderProvider implements McpHeaderProvider {

  /** The provider's name. */
  public static final String NAME = "example-sso";

  static final String ENDPOINT_PROPERTY = "example.sso.endpoint";
  static final String ENDPOINT_ENV = "EXAMPLE_SSO_ENDPOINT";
  static final String SECRET_PROPERTY = "example.sso.client-secret";
  static final String SECRET_ENV = "EXAMPLE_SSO_CLIENT_SECRET";

  private final @Nullable TicketCache tickets;

  /** Creates the provider from its settings, as {@link java.util.ServiceLoader} does. */
  public ExampleSsoHeaderProvider() {
    this(
        setting(ENDPOINT_PROPERTY, ENDPOINT_ENV).map(URI::create).orElse(null),
        setting(SECRET_PROPERTY, SECRET_ENV).orElse(""),
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        Clock.systemUTC());
  }

  /** For tests and for callers who configure it in code: a null endpoint makes it inert. */
  ExampleSsoHeaderProvider(
      @Nullable URI endpoint, String clientSecret, HttpClient http, Clock clock) {
    this.tickets = endpoint == null ? null : new TicketCache(endpoint, clientSecret, http, clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Applies to every server once an endpoint is configured, to none otherwise. */
  @Override
  public boolean appliesTo(McpServerRef server) {
    return tickets != null;
  }

  @Override
  public McpHeaders headers(HeaderContext context) {
    Optional<String> user = context.get(ContextKey.USER_ID);
    TicketCache cache = tickets;
    if (cache == null || user.isEmpty()) {
      return McpHeaders.empty();
    }
    String ticket = cache.ticketFor(user.get(), context.server());
    return McpHeaders.of("Authorization", "Bearer " + ticket, "X-Example-User", user.get());
  }

  /** Drops the refused ticket, so the retry asks the SSO for a new one. */
  @Override
  public boolean onUnauthorized(HeaderContext context, @Nullable String wwwAuthenticate) {
    Optional<String> user = context.get(ContextKey.USER_ID);
    TicketCache cache = tickets;
    if (cache == null || user.isEmpty()) {
      return false;
    }
    cache.forget(user.get(), context.server());
    return true;
  }

  @Override
  public String toString() {
    return "ExampleSsoHeaderProvider{" + (tickets == null ? "inert" : tickets) + "}";
  }

  private static Optional<String> setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
