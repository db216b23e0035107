package io.github.mcprunner.headers.config;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.config.internal.ConfigFiles;
import io.github.mcprunner.headers.config.internal.FileSourceOptions;
import io.github.mcprunner.headers.config.internal.ProtectedNames;
import io.github.mcprunner.headers.config.internal.Reloader;
import io.github.mcprunner.headers.config.internal.ServerHeaderLoader;
import io.github.mcprunner.headers.config.internal.ServerHeaderTable;
import io.github.mcprunner.headers.config.internal.Settings;
import io.github.mcprunner.headers.config.internal.UriPrefix;
import io.github.mcprunner.headers.config.internal.ValueResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed headers per MCP server, configured outside code: a properties file, environment variables,
 * system properties, or a builder in code.
 *
 * <p><b>Sections.</b> Global headers apply to every server; URI-prefix headers to the servers whose
 * endpoint lies under the prefix; server headers to the server of that name. For one server, a more
 * specific section wins per header name: global &lt; URI prefix (a longer prefix wins) &lt; server
 * name. Within one section level, sources apply in this order, later winning: the builder, the
 * file, environment variables, system properties.
 *
 * <p><b>File</b> ({@code .properties}, UTF-8):
 *
 * <pre>
 * headers.X-Client=mcp-runner
 * server.crm.headers.X-Api-Key=${file:/run/secrets/crm-api-key}
 * uri.internal.prefix=https://mcp.internal.example.com/
 * uri.internal.headers.X-Route=internal
 * </pre>
 *
 * <p>Values may reference secrets instead of holding them: {@code ${env:NAME}}, {@code ${sys:name}}
 * and {@code ${file:path}} (the file's trimmed content; relative to the configuration file's
 * directory). <code>$${</code> is a literal <code>${</code>. Every reference is resolved and every
 * header validated when the provider is built: a missing secret, an invalid or protected header or
 * an unknown key is a {@link HeaderConfigException} at start-up naming file, line and key, never
 * the value.
 *
 * <p><b>Reloading.</b> The file and the secret files it references are checked for changes every
 * reload interval (default 10 s) on a daemon thread; a changed, valid configuration replaces the
 * old one atomically (a request sees the old or the new set, never a mix); a broken one, or one
 * that would remove a whole section (every header, a server's headers, ...; see {@link
 * Builder#allowRemovingSections(boolean)}), keeps the old set and logs one error. A change is used
 * only once two checks read the same content and the load reads exactly that content. Replace files
 * atomically (write, then rename), as Kubernetes does for mounted secrets.
 *
 * <p><b>Discovery.</b> Registered for {@link java.util.ServiceLoader}; the instance the runner
 * discovers reads its configuration from the settings ({@link Builder#autoConfigure()}) and stays
 * inert (contributes nothing, never fails) when none is set. Its {@link #order()} is {@value
 * #DEFAULT_ORDER}: before {@link TenantHeadersProvider} and before custom providers (order 0), so
 * that both of those may override the fixed headers.
 *
 * <p>Thread-safe; {@link #headers(HeaderContext)} costs one volatile read and a map lookup. {@link
 * #toString()} shows no value.
 */
@AutoService(McpHeaderProvider.class)
public final class ConfiguredHeadersProvider implements McpHeaderProvider, AutoCloseable {

  /** The default {@link #name()}. */
  public static final String NAME = "configured-headers";

  /** The default {@link #order()}: below {@link TenantHeadersProvider} and custom providers. */
  public static final int DEFAULT_ORDER = -100;

  private static final Logger LOG = LoggerFactory.getLogger(ConfiguredHeadersProvider.class);

  private final String name;
  private final int order;
  private final @Nullable Reloader<ServerHeaderTable> reloader;

  /**
   * Creates the provider from the settings, as {@link java.util.ServiceLoader} does: equivalent to
   * {@code builder().autoConfigure().build()}. Inert when no setting configures it.
   *
   * @throws HeaderConfigException if the settings name a broken configuration
   */
  public ConfiguredHeadersProvider() {
    this(new Builder().autoConfigure());
  }

  private ConfiguredHeadersProvider(Builder builder) {
    this.name = builder.name;
    this.order = builder.order;
    FileSourceOptions options = builder.options;
    Map<String, String> environment = options.environment();
    Map<String, String> systemProperties = options.systemProperties();
    Path file =
        options.file(
            builder.file,
            environment,
            systemProperties,
            Settings.CONFIG_FILE_PROPERTY,
            Settings.CONFIG_FILE_ENV);
    boolean settingSections =
        options.autoConfigures() && Settings.hasHeaderSections(environment, systemProperties);
    boolean onlySettings =
        options.autoConfigures() && !builder.hasCodeSections() && builder.file == null;
    if (onlySettings && file == null && !settingSections) {
      this.reloader = null; // discovered, not configured: inert
      return;
    }
    boolean withCode = builder.hasCodeSections();
    ServerHeaderTable.Source code =
        new ServerHeaderTable.Source(
            "builder",
            builder.global,
            builder.servers,
            false,
            builder.uris.entrySet().stream()
                .map(e -> new ServerHeaderTable.UriSection(e.getKey(), e.getValue()))
                .toList());
    Path configFile = file;
    boolean readSettingSections = settingSections;
    Runnable beforeLoad = builder.beforeLoad;
    Reloader.Loader<ServerHeaderTable> loader =
        files -> {
          beforeLoad.run();
          ValueResolver resolver = new ValueResolver(environment, systemProperties, files);
          List<ServerHeaderTable.Source> sources = new ArrayList<>();
          if (withCode) {
            sources.add(code);
          }
          if (configFile != null) {
            String description = ConfigFiles.describe("Header configuration", configFile);
            sources.add(
                ServerHeaderLoader.fromProperties(
                    ConfigFiles.read(files, configFile, "Header configuration"),
                    description,
                    configFile.toAbsolutePath().getParent(),
                    resolver));
          }
          if (readSettingSections) {
            sources.add(ServerHeaderLoader.fromEnvironment(environment, resolver));
            sources.add(ServerHeaderLoader.fromSystemProperties(systemProperties, resolver));
          }
          return new ServerHeaderTable(sources);
        };
    String description =
        configFile != null
            ? ConfigFiles.describe("Header configuration", configFile)
            : "Header configuration";
    Reloader<ServerHeaderTable> created =
        options.startReloader(
            "Header provider '" + name + "'",
            loader,
            ServerHeaderTable::summary,
            (current, next) -> ServerHeaderTable.removedSections(current, next, description),
            LOG,
            environment,
            systemProperties);
    this.reloader = created;
    LOG.info(
        "Header provider '{}' (order {}) serves {}{}",
        name,
        order,
        created.current().summary(),
        created.isWatching()
            ? ", checking files for changes every "
                + options.reloadInterval(environment, systemProperties)
            : "");
  }

  /** Returns a builder of a provider configured in code, from a file, or both. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a provider reading {@code file}, reloaded when it changes: {@code
   * builder().file(file).build()}.
   *
   * @throws HeaderConfigException if the file is missing or broken
   */
  public static ConfiguredHeadersProvider fromFile(Path file) {
    return builder().file(file).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int order() {
    return order;
  }

  /** Returns the configured headers for the request's server; never fails. */
  @Override
  public McpHeaders headers(HeaderContext context) {
    Reloader<ServerHeaderTable> current = reloader;
    if (current == null) {
      return McpHeaders.empty();
    }
    return current.current().resolve(context.server());
  }

  /** Returns {@code false} for an inert provider (discovered, but configured by no setting). */
  @Override
  public boolean appliesTo(McpServerRef server) {
    return reloader != null;
  }

  /** Returns whether this provider is configured (not an inert discovered instance). */
  public boolean isActive() {
    return reloader != null;
  }

  /**
   * Reads the configuration again now (file and referenced secrets) and installs it; if it is
   * broken, keeps the current headers and logs the error once.
   *
   * @return whether a new configuration was installed
   */
  public boolean reload() {
    return reloader != null && reloader.reload();
  }

  /**
   * What the background check does every reload interval: reloads when the files changed since the
   * last load and read the same as at the previous check (so a file being written is not read
   * half-way). Call it from your own scheduler after {@link Builder#reloadInterval(Duration)
   * reloadInterval(Duration.ZERO)}.
   *
   * @return whether a new configuration was installed
   */
  public boolean checkForChanges() {
    return reloader != null && reloader.checkForChanges();
  }

  /** Stops the background checks for changes; the current headers stay in use. */
  @Override
  public void close() {
    if (reloader != null) {
      reloader.close();
    }
  }

  /** Returns the name, order and a summary of the configuration, without any value. */
  @Override
  public String toString() {
    return "ConfiguredHeadersProvider{name="
        + name
        + ", order="
        + order
        + ", "
        + (reloader == null ? "inert" : reloader.current().summary())
        + "}";
  }

  /**
   * Builds a {@link ConfiguredHeadersProvider}. Headers given in code are literal (no <code>${
   * </code> references) and lowest in precedence within their section level. Not thread-safe.
   */
  public static final class Builder {
    private String name = NAME;
    private int order = DEFAULT_ORDER;
    private McpHeaders global = McpHeaders.empty();
    private final Map<String, McpHeaders> servers = new LinkedHashMap<>();
    private final Map<UriPrefix, McpHeaders> uris = new LinkedHashMap<>();
    private @Nullable Path file;
    private final FileSourceOptions options = new FileSourceOptions();
    private Runnable beforeLoad = () -> {};

    private Builder() {}

    /**
     * Adds headers for every server; later calls win per header name.
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder global(McpHeaders headers) {
      requireNonNull(headers, "headers");
      global = global.overriddenBy(ProtectedNames.requireUnprotected(headers, layer("global")));
      return this;
    }

    /**
     * Adds headers for the server named {@code serverName}; later calls win per header name.
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder server(String serverName, McpHeaders headers) {
      requireNonNull(serverName, "serverName");
      requireNonNull(headers, "headers");
      ProtectedNames.requireUnprotected(headers, layer("server"));
      servers.merge(serverName, headers, McpHeaders::overriddenBy);
      return this;
    }

    /**
     * Adds headers for the servers whose endpoint lies under {@code prefix}: same scheme, host and
     * port, and a path equal to the prefix's or below it ({@code https://crm.example.com/api}
     * matches {@code .../api/mcp}, not {@code .../api2}). A longer prefix wins over a shorter one.
     *
     * @throws IllegalArgumentException if {@code prefix} is not an absolute http(s) URI without
     *     user info, query or fragment, or a header is protected
     */
    public Builder uriPrefix(String prefix, McpHeaders headers) {
      requireNonNull(prefix, "prefix");
      requireNonNull(headers, "headers");
      UriPrefix parsed;
      try {
        parsed = UriPrefix.parse(prefix, "uriPrefix");
      } catch (HeaderConfigException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      ProtectedNames.requireUnprotected(headers, layer("uriPrefix"));
      uris.merge(parsed, headers, McpHeaders::overriddenBy);
      return this;
    }

    /**
     * Reads headers from the properties file {@code file} too (above the headers given in code),
     * and reloads it when it changes.
     */
    public Builder file(Path file) {
      this.file = requireNonNull(file, "file");
      return this;
    }

    /**
     * Also reads the settings the discovered provider reads: the file named by system property
     * {@code mcprunner.headers.config.file} or environment variable {@code
     * MCPRUNNER_HEADERS_CONFIG_FILE} (unless {@link #file(Path)} names one), the header lists in
     * {@code MCPRUNNER_HEADERS*} variables and {@code mcprunner.headers*} properties, and the
     * reload interval {@code mcprunner.headers.reload.interval} / {@code
     * MCPRUNNER_HEADERS_RELOAD_INTERVAL} (unless {@link #reloadInterval(Duration)} sets one).
     */
    public Builder autoConfigure() {
      options.autoConfigure();
      return this;
    }

    /**
     * Sets the environment variables read by {@code ${env:}} references and {@link
     * #autoConfigure()}. Defaults to {@link System#getenv()}.
     */
    public Builder environment(Map<String, String> environment) {
      options.environment(environment);
      return this;
    }

    /**
     * Sets the system properties read by {@code ${sys:}} references and {@link #autoConfigure()}.
     * Defaults to the process's system properties when the provider is built.
     */
    public Builder systemProperties(Map<String, String> systemProperties) {
      options.systemProperties(systemProperties);
      return this;
    }

    /**
     * Sets how often the files are checked for changes; {@link Duration#ZERO} turns the background
     * check off ({@link #checkForChanges()} and {@link #reload()} still work). Default 10 s.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder reloadInterval(Duration interval) {
      options.reloadInterval(interval);
      return this;
    }

    /**
     * Sets the scheduler of the background checks. Defaults to one daemon thread shared by all
     * configured providers.
     */
    public Builder reloadScheduler(ScheduledExecutorService scheduler) {
      options.reloadScheduler(scheduler);
      return this;
    }

    /** Sets the provider's name; default {@value ConfiguredHeadersProvider#NAME}. */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Sets the provider's order; default {@value ConfiguredHeadersProvider#DEFAULT_ORDER}. */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * Sets whether a reload may remove whole sections of the configuration: every header, the
     * global headers, a server's or a URI prefix's headers. By default (and unless the setting
     * {@code mcprunner.headers.reload.allow-removing-sections} / {@code
     * MCPRUNNER_HEADERS_RELOAD_ALLOW_REMOVING_SECTIONS} says {@code true} with {@link
     * #autoConfigure()}) such a reload is refused like a broken file: the current headers stay, and
     * one error names the file and the sections. A truncated or half-written file thus never strips
     * authentication headers.
     */
    public Builder allowRemovingSections(boolean allow) {
      options.allowRemovingSections(allow);
      return this;
    }

    /** Test hook: called after every successful reload. */
    Builder reloadListener(Runnable listener) {
      options.reloadListener(listener);
      return this;
    }

    /** Test hook: called at the start of every load, before any file is read. */
    Builder beforeLoad(Runnable hook) {
      this.beforeLoad = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Returns the provider, with every reference resolved and every header validated.
     *
     * @throws HeaderConfigException if the configuration is broken (message without values)
     */
    public ConfiguredHeadersProvider build() {
      return new ConfiguredHeadersProvider(this);
    }

    private boolean hasCodeSections() {
      return !global.isEmpty() || !servers.isEmpty() || !uris.isEmpty();
    }

    private static String layer(String method) {
      return "ConfiguredHeadersProvider.Builder." + method;
    }
  }
}
