package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.HeaderConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tenant table read from a properties file: {@code tenant.<tenantId>.<Header-Name>=value}, the
 * fallback set {@code tenant-default.<Header-Name>=value}, and {@code unknown-tenant=fail} or
 * {@code fallback}. The header name is what follows the <em>last</em> dot, so tenant ids may hold
 * dots (header names in this file may not). Immutable and thread-safe. Not public API.
 */
public final class TenantTable {
  private static final String TENANT = "tenant.";
  private static final String DEFAULT = "tenant-default.";
  private static final String UNKNOWN = "unknown-tenant";

  /** The table of no file. */
  public static final TenantTable EMPTY = new TenantTable(Map.of(), McpHeaders.empty(), null);

  private final Map<String, McpHeaders> tenants;
  private final McpHeaders fallback;
  private final @Nullable Boolean fallbackEnabled;

  private TenantTable(
      Map<String, McpHeaders> tenants, McpHeaders fallback, @Nullable Boolean fallbackEnabled) {
    this.tenants = Map.copyOf(tenants);
    this.fallback = fallback;
    this.fallbackEnabled = fallbackEnabled;
  }

  /** Returns the headers of {@code tenant}, if the table has it. */
  public Optional<McpHeaders> get(String tenant) {
    return Optional.ofNullable(tenants.get(tenant));
  }

  /** Returns the {@code tenant-default.*} headers. */
  public McpHeaders fallback() {
    return fallback;
  }

  /** Returns what {@code unknown-tenant} says: fall back or not; {@code null} when it is unset. */
  public @Nullable Boolean fallbackEnabled() {
    return fallbackEnabled;
  }

  /**
   * Returns why {@code next} may not replace {@code current} when a reload may not remove sections:
   * it holds no header at all while {@code current} does; {@code null} otherwise.
   *
   * @param description names the file, e.g. {@code "Tenant table file 'tenants.properties'"}
   */
  public static @Nullable String emptied(
      TenantTable current, TenantTable next, String description) {
    if (current.isEmpty() || !next.isEmpty()) {
      return null;
    }
    return description
        + " holds no tenant and no fallback now (the previous version has "
        + current.tenants.size()
        + " tenants); "
        + ServerHeaderTable.ALLOW_REMOVING;
  }

  private boolean isEmpty() {
    return tenants.isEmpty() && fallback.isEmpty();
  }

  /** Returns a summary without values or tenant ids. */
  public String summary() {
    return tenants.size()
        + " tenants, fallback "
        + (fallbackEnabled == null ? "unset" : fallbackEnabled ? "on" : "off");
  }

  @Override
  public String toString() {
    return "TenantTable{" + summary() + "}";
  }

  /**
   * Reads the table from the entries of a properties file.
   *
   * @param description names the file in errors
   * @param baseDir the file's directory, for relative {@code ${file:}} paths
   * @throws HeaderConfigException naming file, line and key of a broken entry
   */
  public static TenantTable fromProperties(
      List<PropertiesParser.Entry> entries,
      String description,
      @Nullable Path baseDir,
      ValueResolver resolver) {
    HeaderSets<String> tenants = new HeaderSets<>();
    HeaderSets<String> fallback = new HeaderSets<>();
    Boolean fallbackEnabled = null;
    String fallbackWhere = null;
    String unknownWhere = null;
    for (PropertiesParser.Entry entry : entries) {
      String key = entry.key();
      String where = description + " line " + entry.line() + ", key " + SafeText.quote(key);
      if (key.equals(UNKNOWN)) {
        if (unknownWhere != null) {
          throw new HeaderConfigException(where + ": already set by " + unknownWhere);
        }
        unknownWhere = where;
        String mode = entry.value().strip();
        if (mode.equals("fail")) {
          fallbackEnabled = false;
        } else if (mode.equals("fallback")) {
          fallbackEnabled = true;
        } else {
          throw new HeaderConfigException(where + ": expected 'fail' or 'fallback'");
        }
      } else if (key.startsWith(DEFAULT) && key.length() > DEFAULT.length()) {
        fallback.add(
            "",
            key.substring(DEFAULT.length()),
            resolver.resolveValue(entry.value(), baseDir, where),
            where);
        fallbackWhere = fallbackWhere == null ? where : fallbackWhere;
      } else if (key.startsWith(TENANT)
          && key.lastIndexOf('.') > TENANT.length()
          && key.lastIndexOf('.') < key.length() - 1) {
        int dot = key.lastIndexOf('.');
        tenants.add(
            key.substring(TENANT.length(), dot),
            key.substring(dot + 1),
            resolver.resolveValue(entry.value(), baseDir, where),
            where);
      } else {
        throw new HeaderConfigException(
            where
                + ": unknown key; expected tenant.<tenantId>.<Header-Name>,"
                + " tenant-default.<Header-Name> or unknown-tenant");
      }
    }
    if (fallbackWhere != null && !Boolean.TRUE.equals(fallbackEnabled)) {
      throw new HeaderConfigException(
          fallbackWhere + ": a fallback set is given but unknown-tenant is not 'fallback'");
    }
    return new TenantTable(tenants.build(), fallback.get(""), fallbackEnabled);
  }
}
