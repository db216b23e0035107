package io.github.mcprunner.headers.config;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.HeaderProviderException;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import io.github.mcprunner.headers.config.internal.ConfigFiles;
import io.github.mcprunner.headers.config.internal.FileSourceOptions;
import io.github.mcprunner.headers.config.internal.ProtectedNames;
import io.github.mcprunner.headers.config.internal.Reloader;
import io.github.mcprunner.headers.config.internal.SafeText;
import io.github.mcprunner.headers.config.internal.Settings;
import io.github.mcprunner.headers.config.internal.TenantTable;
import io.github.mcprunner.headers.config.internal.ValueResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headers looked up from the run's tenant id ({@link ContextKey#TENANT_ID}) in a table: a
 * properties file, a map or a lookup function given in code.
 *
 * <ul>
 *   <li>A run without a tenant id: the provider contributes nothing.
 *   <li>A known tenant: its headers, for every server.
 *   <li>An unknown tenant: the request fails closed with an error naming the tenant id, unless a
 *       fallback set is enabled ({@code unknown-tenant=fallback} in the file, or {@link
 *       Builder#fallback(McpHeaders)}), which is then used.
 * </ul>
 *
 * <p><b>File</b> ({@code .properties}, UTF-8; values may use {@code ${env:}}, {@code ${sys:}} and
 * {@code ${file:}} references as in {@link ConfiguredHeadersProvider}, and the file is reloaded the
 * same way):
 *
 * <pre>
 * tenant.acme.X-Api-Key=${file:secrets/acme-api-key}
 * tenant.acme.X-Route=eu-1
 * tenant.globex.example.X-Api-Key=${env:GLOBEX_API_KEY}
 * unknown-tenant=fallback
 * tenant-default.X-Route=shared
 * </pre>
 *
 * <p>The header name is what follows the last dot of a key, so tenant ids may contain dots.
 *
 * <p>When the tables of several sources know a tenant, they are merged per header name: the lookup
 * function lowest, then the tenants given in code, then the file.
 *
 * <p><b>Discovery.</b> Registered for {@link java.util.ServiceLoader}; the discovered instance
 * reads the file named by system property {@code mcprunner.headers.tenants.file} or environment
 * variable {@code MCPRUNNER_HEADERS_TENANTS_FILE}, and stays inert without it. Its {@link #order()}
 * is {@value #DEFAULT_ORDER}: after {@link ConfiguredHeadersProvider} (a tenant's header overrides
 * a fixed one) and before custom providers (order 0).
 *
 * <p>Thread-safe. {@link #toString()} shows neither values nor tenant ids.
 */
@AutoService(McpHeaderProvider.class)
public final class TenantHeadersProvider implements McpHeaderProvider, AutoCloseable {

  /** The default {@link #name()}. */
  public static final String NAME = "tenant-headers";

  /** The default {@link #order()}: above {@link ConfiguredHeadersProvider}, below custom ones. */
  public static final int DEFAULT_ORDER = -50;

  private static final Logger LOG = LoggerFactory.getLogger(TenantHeadersProvider.class);

  private final String name;
  private final int order;
  private final boolean active;
  private final @Nullable Function<String, Optional<McpHeaders>> lookup;
  private final Map<String, McpHeaders> tenants;
  private final @Nullable McpHeaders fallback;
  private final @Nullable Reloader<TenantTable> file;

  /**
   * Creates the provider from the settings, as {@link java.util.ServiceLoader} does: equivalent to
   * {@code builder().autoConfigure().build()}. Inert when no setting names a tenant table.
   *
   * @throws HeaderConfigException if the setting names a missing or broken file
   */
  public TenantHeadersProvider() {
    this(new Builder().autoConfigure());
  }

  private TenantHeadersProvider(Builder builder) {
    this.name = builder.name;
    this.order = builder.order;
    this.lookup = builder.lookup;
    this.tenants = Map.copyOf(builder.tenants);
    this.fallback = builder.fallback;
    FileSourceOptions options = builder.options;
    Map<String, String> environment = options.environment();
    Map<String, String> systemProperties = options.systemProperties();
    Path path =
        options.file(
            builder.file,
            environment,
            systemProperties,
            Settings.TENANTS_FILE_PROPERTY,
            Settings.TENANTS_FILE_ENV);
    boolean fromCode = lookup != null || !tenants.isEmpty() || fallback != null;
    this.active = !options.autoConfigures() || fromCode || path != null;
    if (path == null) {
      this.file = null;
    } else {
      Path tableFile = path;
      String description = ConfigFiles.describe("Tenant table", tableFile);
      this.file =
          options.startReloader(
              "Header provider '" + name + "'",
              files ->
                  TenantTable.fromProperties(
                      ConfigFiles.read(files, tableFile, "Tenant table"),
                      description,
                      tableFile.toAbsolutePath().getParent(),
                      new ValueResolver(environment, systemProperties, files)),
              TenantTable::summary,
              (current, next) -> TenantTable.emptied(current, next, description),
              LOG,
              environment,
              systemProperties);
    }
    if (active) {
      LOG.info(
          "Header provider '{}' (order {}) serves {} tenants from code{}{}",
          name,
          order,
          tenants.size(),
          lookup != null ? ", a lookup function" : "",
          file != null ? " and " + file.current().summary() + " from its file" : "");
    }
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a provider that asks {@code lookup} for the headers of each run's tenant (an empty
   * result means an unknown tenant, which fails the request). {@code lookup} is called for every
   * request of a run with a tenant id, from many threads: make it thread-safe, and cache inside it
   * if it is slow.
   */
  public static TenantHeadersProvider of(Function<String, Optional<McpHeaders>> lookup) {
    return builder().lookup(lookup).build();
  }

  /** Returns a provider serving the headers of {@code tenants} (tenant id to headers). */
  public static TenantHeadersProvider of(Map<String, McpHeaders> tenants) {
    return builder().tenants(tenants).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int order() {
    return order;
  }

  /**
   * Returns the headers of the run's tenant, nothing for a run without a tenant id.
   *
   * @throws HeaderProviderException naming the tenant id and what to do if it is unknown and no
   *     fallback is enabled (the request is not sent)
   */
  @Override
  public McpHeaders headers(HeaderContext context) {
    if (!active) {
      return McpHeaders.empty();
    }
    Optional<String> tenant = context.get(ContextKey.TENANT_ID);
    if (tenant.isEmpty()) {
      return McpHeaders.empty();
    }
    String id = tenant.get();
    TenantTable table = file != null ? file.current() : TenantTable.EMPTY;
    McpHeaders found = null;
    if (lookup != null) {
      Optional<McpHeaders> looked = lookup.apply(id);
      if (looked == null) {
        throw new HeaderProviderException(
            name,
            context.server().name(),
            "its tenant lookup function returned null, not an Optional",
            null);
      }
      if (looked.isPresent()) {
        found =
            ProtectedNames.requireUnprotected(
                looked.get(), "tenant lookup of header provider '" + name + "'");
      }
    }
    found = merge(found, tenants.get(id));
    found = merge(found, table.get(id).orElse(null));
    if (found != null) {
      return found;
    }
    Boolean fileSays = table.fallbackEnabled();
    if (fileSays != null ? fileSays : fallback != null) {
      McpHeaders base = fallback != null ? fallback : McpHeaders.empty();
      return base.overriddenBy(table.fallback());
    }
    throw new HeaderProviderException(
        name,
        context.server().name(),
        "tenant "
            + SafeText.quote(id)
            + " is not in its tenant table; add it, or enable a fallback"
            + " (unknown-tenant=fallback in the tenant file, or the builder's fallback(...))",
        null);
  }

  private static @Nullable McpHeaders merge(
      @Nullable McpHeaders lower, @Nullable McpHeaders higher) {
    if (lower == null) {
      return higher;
    }
    return higher == null ? lower : lower.overriddenBy(higher);
  }

  /** Returns {@code false} for an inert provider (discovered, but configured by no setting). */
  @Override
  public boolean appliesTo(McpServerRef server) {
    return active;
  }

  /** Returns whether this provider is configured (not an inert discovered instance). */
  public boolean isActive() {
    return active;
  }

  /**
   * Reads the tenant file again now and installs it; if it is broken, keeps the current table and
   * logs the error once.
   *
   * @return whether a new table was installed ({@code false} without a file)
   */
  public boolean reload() {
    return file != null && file.reload();
  }

  /**
   * What the background check does every reload interval: reloads when the files changed since the
   * last load and read the same as at the previous check.
   *
   * @return whether a new table was installed
   */
  public boolean checkForChanges() {
    return file != null && file.checkForChanges();
  }

  /** Stops the background checks for changes; the current table stays in use. */
  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }

  /** Returns the name, order and table sizes, without values or tenant ids. */
  @Override
  public String toString() {
    if (!active) {
      return "TenantHeadersProvider{name=" + name + ", order=" + order + ", inert}";
    }
    return "TenantHeadersProvider{name="
        + name
        + ", order="
        + order
        + ", code tenants="
        + tenants.size()
        + (lookup != null ? ", lookup function" : "")
        + (file != null ? ", file: " + file.current().summary() : "")
        + "}";
  }

  /** Builds a {@link TenantHeadersProvider}. Not thread-safe. */
  public static final class Builder {
    private String name = NAME;
    private int order = DEFAULT_ORDER;
    private @Nullable Function<String, Optional<McpHeaders>> lookup;
    private final Map<String, McpHeaders> tenants = new LinkedHashMap<>();
    private @Nullable McpHeaders fallback;
    private @Nullable Path file;
    private final FileSourceOptions options = new FileSourceOptions();

    private Builder() {}

    /**
     * Sets the headers of tenant {@code tenantId}; later calls win per header name.
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder tenant(String tenantId, McpHeaders headers) {
      requireNonNull(tenantId, "tenantId");
      requireNonNull(headers, "headers");
      ProtectedNames.requireUnprotected(headers, "TenantHeadersProvider.Builder.tenant");
      tenants.merge(tenantId, headers, McpHeaders::overriddenBy);
      return this;
    }

    /** Sets the headers of every tenant of {@code tenants}, as {@link #tenant} does. */
    public Builder tenants(Map<String, McpHeaders> tenants) {
      requireNonNull(tenants, "tenants").forEach(this::tenant);
      return this;
    }

    /**
     * Sets a function that looks tenants up (lowest of the tables); it must be thread-safe and
     * cheap, as it is called for every request of a run with a tenant id.
     */
    public Builder lookup(Function<String, Optional<McpHeaders>> lookup) {
      this.lookup = requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * Enables the fallback: an unknown tenant gets {@code headers} instead of failing (a file's
     * {@code unknown-tenant} setting, when present, decides instead).
     *
     * @throws io.github.mcprunner.headers.InvalidMcpHeaderException if a header is protected
     */
    public Builder fallback(McpHeaders headers) {
      requireNonNull(headers, "headers");
      this.fallback =
          ProtectedNames.requireUnprotected(headers, "TenantHeadersProvider.Builder.fallback");
      return this;
    }

    /** Reads the tenant table from the properties file {@code file} too, reloaded on change. */
    public Builder file(Path file) {
      this.file = requireNonNull(file, "file");
      return this;
    }

    /**
     * Also reads the settings the discovered provider reads: the file named by system property
     * {@code mcprunner.headers.tenants.file} or environment variable {@code
     * MCPRUNNER_HEADERS_TENANTS_FILE} (unless {@link #file(Path)} names one), and the reload
     * interval {@code mcprunner.headers.reload.interval} / {@code
     * MCPRUNNER_HEADERS_RELOAD_INTERVAL}.
     */
    public Builder autoConfigure() {
      options.autoConfigure();
      return this;
    }

    /** Sets the environment read by {@code ${env:}} and the settings; default {@code getenv()}. */
    public Builder environment(Map<String, String> environment) {
      options.environment(environment);
      return this;
    }

    /** Sets the system properties read by {@code ${sys:}} and the settings. */
    public Builder systemProperties(Map<String, String> systemProperties) {
      options.systemProperties(systemProperties);
      return this;
    }

    /**
     * Sets how often the file is checked for changes; {@link Duration#ZERO} turns the background
     * check off. Default 10 s.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder reloadInterval(Duration interval) {
      options.reloadInterval(interval);
      return this;
    }

    /** Sets the scheduler of the background checks; default one shared daemon thread. */
    public Builder reloadScheduler(ScheduledExecutorService scheduler) {
      options.reloadScheduler(scheduler);
      return this;
    }

    /** Sets the provider's name; default {@value TenantHeadersProvider#NAME}. */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Sets the provider's order; default {@value TenantHeadersProvider#DEFAULT_ORDER}. */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * Sets whether a reload may leave the tenant file empty (no tenant, no fallback headers). By
     * default (and unless the setting {@code mcprunner.headers.reload.allow-removing-sections} /
     * {@code MCPRUNNER_HEADERS_RELOAD_ALLOW_REMOVING_SECTIONS} says {@code true} with {@link
     * #autoConfigure()}) such a reload is refused like a broken file: the current table stays, and
     * one error names the file. Removing some tenants is always allowed.
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

    /**
     * Returns the provider; a file is read and validated now.
     *
     * @throws HeaderConfigException if the file is missing or broken (message without values)
     */
    public TenantHeadersProvider build() {
      return new TenantHeadersProvider(this);
    }
  }
}
