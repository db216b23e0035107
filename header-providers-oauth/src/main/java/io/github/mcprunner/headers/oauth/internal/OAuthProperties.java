package io.github.mcprunner.headers.oauth.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.config.SettingReader;
import io.github.mcprunner.headers.oauth.ClientAuthentication;
import io.github.mcprunner.headers.oauth.ClientCredentialsHeadersProvider;
import io.github.mcprunner.headers.oauth.CrossAppAccessHeadersProvider;
import io.github.mcprunner.headers.oauth.OAuthProviderBuilder;
import io.github.mcprunner.headers.oauth.TokenExchangeHeadersProvider;
import io.github.mcprunner.headers.oauth.TokenTarget;
import io.github.mcprunner.headers.oauth.TokenType;
import java.net.URI;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one OAuth provider read from system properties ({@code
 * mcprunner.oauth.token-exchange.client-id}) and environment variables ({@code
 * MCPRUNNER_OAUTH_TOKEN_EXCHANGE_CLIENT_ID}); a system property wins over the environment variable
 * of the same setting. Errors name the setting, never its value. Not public API; the settings are
 * listed in the module's README.
 */
public final class OAuthProperties {

  /** Which provider the settings are for. */
  public enum Grant {
    TOKEN_EXCHANGE("token-exchange", "oauth-token-exchange-config"),
    CLIENT_CREDENTIALS("client-credentials", "oauth-client-credentials-config"),
    CROSS_APP_ACCESS("cross-app-access", "oauth-cross-app-access-config");

    private final String segment;
    private final String defaultName;

    Grant(String segment, String defaultName) {
      this.segment = segment;
      this.defaultName = defaultName;
    }

    /** Returns the system property prefix, e.g. {@code mcprunner.oauth.token-exchange.}. */
    public String propertyPrefix() {
      return "mcprunner.oauth." + segment + ".";
    }

    /** Returns the environment variable prefix, e.g. {@code MCPRUNNER_OAUTH_TOKEN_EXCHANGE_}. */
    public String envPrefix() {
      return "MCPRUNNER_OAUTH_" + segment.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    /** Returns the default name of a provider configured this way. */
    public String defaultName() {
      return defaultName;
    }
  }

  private static final Set<String> COMMON_KEYS =
      Set.of(
          "NAME",
          "ORDER",
          "TOKEN_ENDPOINT",
          "ISSUER",
          "CLIENT_ID",
          "CLIENT_AUTH",
          "CLIENT_SECRET",
          "CLIENT_SECRET_FILE",
          "PRIVATE_KEY_FILE",
          "PRIVATE_KEY_ID",
          "PRIVATE_KEY_ALGORITHM",
          "SCOPE",
          "SERVERS",
          "SEND_AUDIENCE",
          "SEND_RESOURCE",
          "ALLOW_INSECURE_HTTP",
          "CONNECT_TIMEOUT",
          "READ_TIMEOUT",
          "MAX_ATTEMPTS",
          "RETRY_BACKOFF",
          "CLOCK_SKEW",
          "DEFAULT_TOKEN_LIFETIME",
          "CACHE_MAXIMUM_SIZE");

  private static final Set<String> EXCHANGE_KEYS =
      Set.of("SUBJECT_TOKEN_TYPE", "REQUESTED_TOKEN_TYPE", "REQUIRE_SUBJECT_TOKEN");

  /**
   * Cross-app access: the enterprise IdP's endpoint and client ({@code IDP_} and the common client
   * settings' names); the common settings are about the MCP authorization server.
   */
  private static final Set<String> CROSS_APP_KEYS =
      Set.of(
          "IDP_TOKEN_ENDPOINT",
          "IDP_ISSUER",
          "IDP_CLIENT_ID",
          "IDP_CLIENT_AUTH",
          "IDP_CLIENT_SECRET",
          "IDP_CLIENT_SECRET_FILE",
          "IDP_PRIVATE_KEY_FILE",
          "IDP_PRIVATE_KEY_ID",
          "IDP_PRIVATE_KEY_ALGORITHM",
          "REQUIRE_ID_TOKEN");

  private static final String IDP = "IDP_";

  private static final Pattern SERVER_KEY =
      Pattern.compile("SERVER_(.+)_(AUDIENCE|RESOURCE|SCOPE)");

  private final Grant grant;
  private final Map<String, String> values;
  private @Nullable TokenStoreProperties tokenStore;
  private final String keyPrefix;

  private OAuthProperties(Grant grant, Map<String, String> values) {
    this(grant, values, "");
  }

  /** A view whose keys are those of {@code values} after {@code keyPrefix} (messages name both). */
  private OAuthProperties(Grant grant, Map<String, String> values, String keyPrefix) {
    this.grant = grant;
    this.values = values;
    this.keyPrefix = keyPrefix;
  }

  /** Reads the settings of {@code grant} from {@code systemProperties} and {@code environment}. */
  public static OAuthProperties read(
      Grant grant, Map<String, String> systemProperties, Map<String, String> environment) {
    requireNonNull(grant, "grant");
    Map<String, String> values = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(grant.envPrefix()) && !value.isBlank()) {
            values.put(name.substring(grant.envPrefix().length()), value.trim());
          }
        });
    systemProperties.forEach(
        (name, value) -> {
          if (name.startsWith(grant.propertyPrefix()) && !value.isBlank()) {
            values.put(normalize(name.substring(grant.propertyPrefix().length())), value.trim());
          }
        });
    OAuthProperties read = new OAuthProperties(grant, values);
    read.tokenStore = TokenStoreProperties.read(systemProperties, environment);
    return read;
  }

  private static String normalize(String key) {
    return key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** Returns whether no setting of this provider is present. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Returns the provider name the settings give, or the default. */
  public String name() {
    return values.getOrDefault("NAME", grant.defaultName());
  }

  /** Returns the setting {@code key} (normalised, e.g. {@code CLIENT_ID}), if present. */
  Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Returns the servers the settings restrict the provider to; empty for all. */
  public List<String> servers() {
    return get("SERVERS").map(OAuthProperties::list).orElse(List.of());
  }

  /**
   * Returns the provider the settings describe.
   *
   * @throws IllegalArgumentException if a setting is missing, unknown or invalid; the message names
   *     the setting, never its value
   */
  public McpHeaderProvider build() {
    List<String> unknown = new ArrayList<>();
    Map<String, Map<String, String>> serverSettings = new LinkedHashMap<>();
    for (String key : values.keySet()) {
      Matcher server = SERVER_KEY.matcher(key);
      if (server.matches()) {
        serverSettings
            .computeIfAbsent(server.group(1), s -> new LinkedHashMap<>())
            .put(server.group(2), values.get(key));
      } else if (!(COMMON_KEYS.contains(key)
              && !(grant == Grant.CROSS_APP_ACCESS && key.equals("SEND_AUDIENCE")))
          && !(grant == Grant.TOKEN_EXCHANGE && EXCHANGE_KEYS.contains(key))
          && !(grant == Grant.CROSS_APP_ACCESS && CROSS_APP_KEYS.contains(key))) {
        unknown.add(describe(key));
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown));
    }
    if (grant == Grant.TOKEN_EXCHANGE) {
      TokenExchangeHeadersProvider.Builder builder = TokenExchangeHeadersProvider.builder();
      common(builder, serverSettings);
      get("SUBJECT_TOKEN_TYPE")
          .ifPresent(v -> builder.subjectTokenType(tokenType("SUBJECT_TOKEN_TYPE", v)));
      get("REQUESTED_TOKEN_TYPE")
          .ifPresent(v -> builder.requestedTokenType(tokenType("REQUESTED_TOKEN_TYPE", v)));
      get("REQUIRE_SUBJECT_TOKEN")
          .ifPresent(v -> builder.requireSubjectToken(bool("REQUIRE_SUBJECT_TOKEN", v)));
      return builder.build();
    }
    if (grant == Grant.CROSS_APP_ACCESS) {
      return crossAppAccess(serverSettings);
    }
    ClientCredentialsHeadersProvider.Builder builder = ClientCredentialsHeadersProvider.builder();
    common(builder, serverSettings);
    return builder.build();
  }

  private void common(
      OAuthProviderBuilder<?> builder, Map<String, Map<String, String>> serverSettings) {
    builder.name(name());
    io.github.mcprunner.headers.oauth.store.TokenStore store =
        tokenStore == null ? null : tokenStore.store();
    if (store != null) {
      builder.tokenStore(store);
    }
    get("ORDER").ifPresent(v -> builder.order((int) number("ORDER", v, Integer.MIN_VALUE)));
    Optional<String> endpoint = get("TOKEN_ENDPOINT");
    Optional<String> issuer = get("ISSUER");
    if (grant == Grant.CROSS_APP_ACCESS) {
      if (issuer.isEmpty()) {
        throw new IllegalArgumentException(
            describe("ISSUER") + " (the MCP authorization server's issuer) is not set");
      }
    } else if (endpoint.isPresent() == issuer.isPresent()) {
      throw new IllegalArgumentException(
          "set exactly one of " + describe("TOKEN_ENDPOINT") + " and " + describe("ISSUER"));
    }
    endpoint.ifPresent(v -> builder.tokenEndpoint(uri("TOKEN_ENDPOINT", v)));
    issuer.ifPresent(v -> builder.issuer(uri("ISSUER", v)));
    builder.clientAuthentication(clientAuthentication());
    get("SCOPE").ifPresent(builder::scope);
    builder.servers(servers());
    get("SEND_AUDIENCE").ifPresent(v -> builder.sendAudience(bool("SEND_AUDIENCE", v)));
    get("SEND_RESOURCE").ifPresent(v -> builder.sendResource(bool("SEND_RESOURCE", v)));
    get("ALLOW_INSECURE_HTTP")
        .ifPresent(v -> builder.allowInsecureHttp(bool("ALLOW_INSECURE_HTTP", v)));
    get("CONNECT_TIMEOUT").ifPresent(v -> builder.connectTimeout(duration("CONNECT_TIMEOUT", v)));
    get("READ_TIMEOUT").ifPresent(v -> builder.readTimeout(duration("READ_TIMEOUT", v)));
    get("MAX_ATTEMPTS").ifPresent(v -> builder.maxAttempts((int) number("MAX_ATTEMPTS", v, 1)));
    get("RETRY_BACKOFF").ifPresent(v -> builder.retryBackoff(duration("RETRY_BACKOFF", v)));
    get("CLOCK_SKEW").ifPresent(v -> builder.clockSkew(duration("CLOCK_SKEW", v)));
    get("DEFAULT_TOKEN_LIFETIME")
        .ifPresent(v -> builder.defaultTokenLifetime(duration("DEFAULT_TOKEN_LIFETIME", v)));
    get("CACHE_MAXIMUM_SIZE")
        .ifPresent(v -> builder.maximumCacheSize(number("CACHE_MAXIMUM_SIZE", v, 1)));
    serverSettings.forEach(
        (server, settings) -> {
          TokenTarget.Builder target = TokenTarget.builder();
          String prefix = "SERVER_" + server + "_";
          if (settings.containsKey("AUDIENCE")) {
            target.audience(settings.get("AUDIENCE"));
          }
          if (settings.containsKey("RESOURCE")) {
            target.resource(uri(prefix + "RESOURCE", settings.get("RESOURCE")));
          }
          if (settings.containsKey("SCOPE")) {
            target.scope(settings.get("SCOPE"));
          }
          builder.target(server, target.build());
        });
  }

  private McpHeaderProvider crossAppAccess(Map<String, Map<String, String>> serverSettings) {
    CrossAppAccessHeadersProvider.Builder builder = CrossAppAccessHeadersProvider.builder();
    common(builder, serverSettings);
    Optional<String> endpoint = get("IDP_TOKEN_ENDPOINT");
    Optional<String> issuer = get("IDP_ISSUER");
    if (endpoint.isPresent() == issuer.isPresent()) {
      throw new IllegalArgumentException(
          "set exactly one of "
              + describe("IDP_TOKEN_ENDPOINT")
              + " and "
              + describe("IDP_ISSUER"));
    }
    endpoint.ifPresent(v -> builder.idpTokenEndpoint(uri("IDP_TOKEN_ENDPOINT", v)));
    issuer.ifPresent(v -> builder.idpIssuer(uri("IDP_ISSUER", v)));
    if (get("IDP_CLIENT_AUTH").map(m -> m.equalsIgnoreCase("none")).orElse(false)) {
      builder.idpPublicClient(
          get("IDP_CLIENT_ID")
              .orElseThrow(
                  () -> new IllegalArgumentException(describe("IDP_CLIENT_ID") + " is not set")));
    } else {
      Map<String, String> idp = new TreeMap<>();
      values.forEach(
          (key, value) -> {
            if (key.startsWith(IDP)) {
              idp.put(key.substring(IDP.length()), value);
            }
          });
      builder.idpClientAuthentication(new OAuthProperties(grant, idp, IDP).clientAuthentication());
    }
    get("REQUIRE_ID_TOKEN").ifPresent(v -> builder.requireIdToken(bool("REQUIRE_ID_TOKEN", v)));
    return builder.build();
  }

  private ClientAuthentication clientAuthentication() {
    String clientId =
        get("CLIENT_ID")
            .orElseThrow(() -> new IllegalArgumentException(describe("CLIENT_ID") + " is not set"));
    Optional<String> method = get("CLIENT_AUTH");
    boolean hasKey = get("PRIVATE_KEY_FILE").isPresent();
    String chosen =
        method
            .map(m -> m.toLowerCase(Locale.ROOT))
            .orElse(hasKey ? "private_key_jwt" : "client_secret_basic");
    switch (chosen) {
      case "private_key_jwt":
        PrivateKey key = privateKey();
        return get("PRIVATE_KEY_ALGORITHM").isPresent()
            ? ClientAuthentication.privateKeyJwt(
                clientId,
                key,
                get("PRIVATE_KEY_ID").orElse(null),
                get("PRIVATE_KEY_ALGORITHM").get())
            : ClientAuthentication.privateKeyJwt(clientId, key, get("PRIVATE_KEY_ID").orElse(null));
      case "client_secret_basic":
        return ClientAuthentication.clientSecretBasic(clientId, secret());
      case "client_secret_post":
        return ClientAuthentication.clientSecretPost(clientId, secret());
      default:
        throw new IllegalArgumentException(
            describe("CLIENT_AUTH")
                + " must be client_secret_basic, client_secret_post or private_key_jwt");
    }
  }

  private String secret() {
    Optional<String> inline = get("CLIENT_SECRET");
    Optional<String> file = get("CLIENT_SECRET_FILE");
    if (inline.isPresent() == file.isPresent()) {
      throw new IllegalArgumentException(
          "set exactly one of "
              + describe("CLIENT_SECRET")
              + " and "
              + describe("CLIENT_SECRET_FILE"));
    }
    if (inline.isPresent()) {
      return inline.get();
    }
    String setting = describe("CLIENT_SECRET_FILE");
    return SettingReader.secretFile(SettingReader.path(file.get(), setting), setting);
  }

  private PrivateKey privateKey() {
    String file =
        get("PRIVATE_KEY_FILE")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "private_key_jwt needs " + describe("PRIVATE_KEY_FILE")));
    String setting = describe("PRIVATE_KEY_FILE");
    return SettingReader.pemPrivateKeyFile(SettingReader.path(file, setting), setting);
  }

  private TokenType tokenType(String key, String value) {
    try {
      return TokenType.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe(key) + " is invalid: " + e.getMessage());
    }
  }

  private URI uri(String key, String value) {
    return SettingReader.absoluteUri(value, describe(key));
  }

  private boolean bool(String key, String value) {
    return SettingReader.bool(value, describe(key));
  }

  private long number(String key, String value, long min) {
    return SettingReader.wholeNumber(value, describe(key), min);
  }

  /**
   * Parses {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, a number of seconds, or {@code
   * PT1M}.
   */
  private Duration duration(String key, String value) {
    return SettingReader.duration(value, describe(key), ChronoUnit.SECONDS);
  }

  private static List<String> list(String value) {
    return SettingReader.list(value);
  }

  /**
   * Returns how to set {@code key}: {@code mcprunner.oauth.x.client-id
   * (MCPRUNNER_OAUTH_X_CLIENT_ID)}.
   */
  String describe(String key) {
    String full = keyPrefix + key;
    return grant.propertyPrefix()
        + full.toLowerCase(Locale.ROOT).replace('_', '-')
        + " ("
        + grant.envPrefix()
        + full
        + ")";
  }

  @Override
  public String toString() {
    return "OAuthProperties{grant=" + grant + ", settings=" + values.keySet() + "}";
  }
}
