package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The headers configured per server, from several sources, resolved for one server at a time.
 * Immutable (apart from a bounded memo of resolved servers) and thread-safe; a reload builds a new
 * table. Not public API.
 *
 * <p>Resolution: the global sections of every source, then every URI prefix section that matches
 * the server's URI (shorter prefix first, so the longer one wins), then the server-name sections;
 * within one level, sources apply in the order given (a later source wins).
 */
public final class ServerHeaderTable {
  private static final int MAX_MEMO = 1024;

  /** The sections one source defines. {@link #toString()} names no value. */
  public static final class Source {
    private final String description;
    private final McpHeaders global;
    private final Map<String, McpHeaders> servers;
    private final boolean environmentStyleNames;
    private final List<UriSection> uris;

    /**
     * Creates a source.
     *
     * @param description e.g. {@code "environment"}, for summaries
     * @param servers headers by server name
     * @param environmentStyleNames whether {@code servers} is keyed by {@link
     *     #environmentName(String)} of the server name instead of the name itself
     */
    public Source(
        String description,
        McpHeaders global,
        Map<String, McpHeaders> servers,
        boolean environmentStyleNames,
        List<UriSection> uris) {
      this.description = description;
      this.global = global;
      this.servers = Map.copyOf(servers);
      this.environmentStyleNames = environmentStyleNames;
      this.uris = List.copyOf(uris);
    }

    int headerCount() {
      int count = global.size();
      for (McpHeaders headers : servers.values()) {
        count += headers.size();
      }
      for (UriSection section : uris) {
        count += section.headers().size();
      }
      return count;
    }

    @Override
    public String toString() {
      return description + "{headers=" + headerCount() + "}";
    }
  }

  /**
   * The headers of one URI prefix. {@link #toString()} names no value.
   *
   * @param prefix the prefix
   * @param headers its headers
   */
  public record UriSection(UriPrefix prefix, McpHeaders headers) {
    @Override
    public String toString() {
      return "UriSection{prefix=" + prefix + ", headers=" + headers.names() + "}";
    }
  }

  private record RankedUri(UriSection section, int sourceIndex) {}

  private final List<Source> sources;
  private final McpHeaders global;
  private final List<RankedUri> uris;
  private final Map<McpServerRef, McpHeaders> memo = new ConcurrentHashMap<>();

  /** Creates the table from {@code sources}, lowest precedence first. */
  public ServerHeaderTable(List<Source> sources) {
    this.sources = List.copyOf(sources);
    McpHeaders merged = McpHeaders.empty();
    List<RankedUri> ranked = new ArrayList<>();
    for (int i = 0; i < this.sources.size(); i++) {
      Source source = this.sources.get(i);
      merged = merged.overriddenBy(source.global);
      for (UriSection section : source.uris) {
        ranked.add(new RankedUri(section, i));
      }
    }
    ranked.sort(
        Comparator.comparingInt((RankedUri r) -> r.section().prefix().specificity())
            .thenComparingInt(RankedUri::sourceIndex));
    this.global = merged;
    this.uris = List.copyOf(ranked);
  }

  /** Returns the headers for {@code server}. */
  public McpHeaders resolve(McpServerRef server) {
    McpHeaders cached = memo.get(server);
    if (cached != null) {
      return cached;
    }
    McpHeaders result = compute(server);
    if (memo.size() < MAX_MEMO) {
      memo.put(server, result);
    }
    return result;
  }

  private McpHeaders compute(McpServerRef server) {
    McpHeaders result = global;
    for (RankedUri ranked : uris) {
      if (ranked.section().prefix().matches(server.uri())) {
        result = result.overriddenBy(ranked.section().headers());
      }
    }
    String environmentName = environmentName(server.name());
    for (Source source : sources) {
      McpHeaders headers =
          source.servers.get(source.environmentStyleNames ? environmentName : server.name());
      if (headers != null) {
        result = result.overriddenBy(headers);
      }
    }
    return result;
  }

  /**
   * Returns a server name as an environment variable spells it: upper case, every character but
   * {@code A-Z} and {@code 0-9} replaced by {@code _} ({@code crm-eu} becomes {@code CRM_EU}).
   */
  public static String environmentName(String serverName) {
    StringBuilder out = new StringBuilder(serverName.length());
    String upper = serverName.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      char c = upper.charAt(i);
      out.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return out.toString();
  }

  /** Returns the number of configured headers, over all sources and sections. */
  public int headerCount() {
    int count = 0;
    for (Source source : sources) {
      count += source.headerCount();
    }
    return count;
  }

  /**
   * Returns the sections that hold at least one header, described without values: {@code "global
   * headers"}, {@code "server 'crm'"}, {@code "URI prefix 'https://h/api'"}.
   */
  public Set<String> sections() {
    Set<String> result = new TreeSet<>();
    for (Source source : sources) {
      if (!source.global.isEmpty()) {
        result.add("global headers");
      }
      source.servers.forEach(
          (server, headers) -> {
            if (!headers.isEmpty()) {
              result.add("server " + SafeText.quote(server));
            }
          });
      for (UriSection section : source.uris) {
        if (!section.headers().isEmpty()) {
          result.add("URI prefix " + SafeText.quote(section.prefix().normalized()));
        }
      }
    }
    return result;
  }

  /**
   * Returns why {@code next} may not replace {@code current} when a reload may not remove sections:
   * it would remove every header, or a whole section (names the sections, never a value).
   *
   * @param description names the file, e.g. {@code "Header configuration file 'h.properties'"}
   */
  public static @Nullable String removedSections(
      ServerHeaderTable current, ServerHeaderTable next, String description) {
    if (current.headerCount() == 0) {
      return null;
    }
    Set<String> lost = new TreeSet<>(current.sections());
    lost.removeAll(next.sections());
    if (next.headerCount() == 0) {
      return description
          + " holds no header now (the previous version has "
          + current.headerCount()
          + "); "
          + ALLOW_REMOVING;
    }
    if (lost.isEmpty()) {
      return null;
    }
    return description + " no longer holds " + String.join(", ", lost) + "; " + ALLOW_REMOVING;
  }

  /** The advice of a refused reload that removes sections. */
  public static final String ALLOW_REMOVING =
      "if that is intended, allow it with "
          + Settings.ALLOW_REMOVING_SECTIONS_PROPERTY
          + "=true (or the builder's allowRemovingSections(true)), or restart";

  /** Returns a one-line summary without values, for logs and {@code toString()}. */
  public String summary() {
    TreeSet<String> servers = new TreeSet<>();
    Map<String, Integer> perSource = new LinkedHashMap<>();
    for (Source source : sources) {
      servers.addAll(source.servers.keySet());
      perSource.put(source.description, source.headerCount());
    }
    return headerCount()
        + " headers (global "
        + global.size()
        + ", servers "
        + servers
        + ", URI prefixes "
        + uris.size()
        + ") from "
        + perSource.keySet();
  }

  @Override
  public String toString() {
    return "ServerHeaderTable{" + summary() + "}";
  }
}
