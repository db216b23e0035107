package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.HeaderConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the per-server header sections of one source: a properties file, the environment or the
 * system properties. Every value is resolved and validated here, so a broken entry fails the load
 * with an error naming the entry. Not public API.
 *
 * <p>File keys: {@code headers.<Header-Name>}, {@code server.<server>.headers.<Header-Name>},
 * {@code uri.<id>.prefix}, {@code uri.<id>.headers.<Header-Name>}. Environment and system
 * properties hold lists ({@link HeaderListParser}): {@code MCPRUNNER_HEADERS}, {@code
 * MCPRUNNER_HEADERS_SERVER_<SERVER>}, {@code MCPRUNNER_HEADERS_URI_<ID>_PREFIX} and {@code
 * _HEADERS}; {@code mcprunner.headers}, {@code mcprunner.headers.server.<server>}, {@code
 * mcprunner.headers.uri.<id>.prefix} and {@code .headers}.
 */
public final class ServerHeaderLoader {
  private static final String GLOBAL = "";
  private static final String SERVER_MARK = ".headers.";

  private ServerHeaderLoader() {}

  /**
   * Returns the sections of a parsed properties file.
   *
   * @param description names the file in errors and summaries
   * @param baseDir the directory of the file, for relative {@code ${file:}} paths
   */
  public static ServerHeaderTable.Source fromProperties(
      List<PropertiesParser.Entry> entries,
      String description,
      @Nullable Path baseDir,
      ValueResolver resolver) {
    Sections sections = new Sections();
    for (PropertiesParser.Entry entry : entries) {
      String key = entry.key();
      String where = description + " line " + entry.line() + ", key " + SafeText.quote(key);
      if (key.startsWith("headers.") && key.length() > "headers.".length()) {
        sections.global(
            key.substring("headers.".length()),
            resolver.resolveValue(entry.value(), baseDir, where),
            where);
      } else if (key.startsWith("server.") && key.indexOf(SERVER_MARK, "server.".length()) > 0) {
        int mark = key.indexOf(SERVER_MARK, "server.".length());
        String server = key.substring("server.".length(), mark);
        String header = key.substring(mark + SERVER_MARK.length());
        if (server.isEmpty() || header.isEmpty()) {
          throw unknownKey(where);
        }
        sections.server(
            server, header, resolver.resolveValue(entry.value(), baseDir, where), where);
      } else if (key.startsWith("uri.") && key.indexOf('.', "uri.".length()) > "uri.".length()) {
        int dot = key.indexOf('.', "uri.".length());
        String id = key.substring("uri.".length(), dot);
        String rest = key.substring(dot + 1);
        if (rest.equals("prefix")) {
          sections.uriPrefix(id, entry.value(), where);
        } else if (rest.startsWith("headers.") && rest.length() > "headers.".length()) {
          sections.uriHeader(
              id,
              rest.substring("headers.".length()),
              resolver.resolveValue(entry.value(), baseDir, where),
              where);
        } else {
          throw unknownKey(where);
        }
      } else {
        throw unknownKey(where);
      }
    }
    return sections.build(description, false, "uri.<id>.prefix", "uri.<id>.headers.*");
  }

  /** Returns the sections the environment variables define. */
  public static ServerHeaderTable.Source fromEnvironment(
      Map<String, String> environment, ValueResolver resolver) {
    Sections sections = new Sections();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      String where = "environment variable " + SafeText.quote(name);
      if (name.equals(Settings.HEADERS_ENV)) {
        addList(variable.getValue(), where, resolver, (h, v, w) -> sections.global(h, v, w));
      } else if (name.startsWith(Settings.SERVER_ENV_PREFIX)) {
        String server = name.substring(Settings.SERVER_ENV_PREFIX.length());
        if (server.isEmpty()) {
          throw new HeaderConfigException(where + ": expected a server name after the prefix");
        }
        String key = ServerHeaderTable.environmentName(server);
        addList(variable.getValue(), where, resolver, (h, v, w) -> sections.server(key, h, v, w));
      } else if (name.startsWith(Settings.URI_ENV_PREFIX)) {
        String rest = name.substring(Settings.URI_ENV_PREFIX.length());
        if (rest.endsWith("_PREFIX") && rest.length() > "_PREFIX".length()) {
          sections.uriPrefix(
              rest.substring(0, rest.length() - "_PREFIX".length()), variable.getValue(), where);
        } else if (rest.endsWith("_HEADERS") && rest.length() > "_HEADERS".length()) {
          String id = rest.substring(0, rest.length() - "_HEADERS".length());
          addList(
              variable.getValue(), where, resolver, (h, v, w) -> sections.uriHeader(id, h, v, w));
        } else {
          throw new HeaderConfigException(
              where + ": expected " + Settings.URI_ENV_PREFIX + "<ID>_PREFIX or _HEADERS");
        }
      }
    }
    return sections.build(
        "environment",
        true,
        Settings.URI_ENV_PREFIX + "<ID>_PREFIX",
        Settings.URI_ENV_PREFIX + "<ID>_HEADERS");
  }

  /** Returns the sections the system properties define. */
  public static ServerHeaderTable.Source fromSystemProperties(
      Map<String, String> systemProperties, ValueResolver resolver) {
    Sections sections = new Sections();
    for (Map.Entry<String, String> property : new TreeMap<>(systemProperties).entrySet()) {
      String name = property.getKey();
      String where = "system property " + SafeText.quote(name);
      if (name.equals(Settings.HEADERS_PROPERTY)) {
        addList(property.getValue(), where, resolver, (h, v, w) -> sections.global(h, v, w));
      } else if (name.startsWith(Settings.SERVER_PROPERTY_PREFIX)) {
        String server = name.substring(Settings.SERVER_PROPERTY_PREFIX.length());
        if (server.isEmpty()) {
          throw new HeaderConfigException(where + ": expected a server name after the prefix");
        }
        addList(
            property.getValue(), where, resolver, (h, v, w) -> sections.server(server, h, v, w));
      } else if (name.startsWith(Settings.URI_PROPERTY_PREFIX)) {
        String rest = name.substring(Settings.URI_PROPERTY_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        String id = dot > 0 ? rest.substring(0, dot) : "";
        String kind = dot > 0 ? rest.substring(dot + 1) : "";
        if (!id.isEmpty() && kind.equals("prefix")) {
          sections.uriPrefix(id, property.getValue(), where);
        } else if (!id.isEmpty() && kind.equals("headers")) {
          addList(
              property.getValue(), where, resolver, (h, v, w) -> sections.uriHeader(id, h, v, w));
        } else {
          throw new HeaderConfigException(
              where + ": expected " + Settings.URI_PROPERTY_PREFIX + "<id>.prefix or .headers");
        }
      }
    }
    return sections.build(
        "system properties",
        false,
        Settings.URI_PROPERTY_PREFIX + "<id>.prefix",
        Settings.URI_PROPERTY_PREFIX + "<id>.headers");
  }

  private interface HeaderSink {
    void add(String header, ValueResolver.Resolved value, String where);
  }

  private static void addList(String list, String where, ValueResolver resolver, HeaderSink sink) {
    for (HeaderListParser.Item item : HeaderListParser.parse(list, where)) {
      String itemWhere = where + ", item " + item.index();
      sink.add(item.name(), resolver.resolveValue(item.value(), null, itemWhere), itemWhere);
    }
  }

  private static HeaderConfigException unknownKey(String where) {
    return new HeaderConfigException(
        where
            + ": unknown key; expected headers.<Header-Name>,"
            + " server.<server>.headers.<Header-Name>, uri.<id>.prefix or"
            + " uri.<id>.headers.<Header-Name>");
  }

  /** Collects the sections of one source. */
  private static final class Sections {
    private final HeaderSets<String> global = new HeaderSets<>();
    private final HeaderSets<String> servers = new HeaderSets<>();
    private final HeaderSets<String> uriHeaders = new HeaderSets<>();
    private final Map<String, UriPrefix> uriPrefixes = new LinkedHashMap<>();
    private final Map<String, String> uriPrefixWhere = new LinkedHashMap<>();

    void global(String header, ValueResolver.Resolved value, String where) {
      global.add(GLOBAL, header, value, where);
    }

    void server(String server, String header, ValueResolver.Resolved value, String where) {
      servers.add(server, header, value, where);
    }

    void uriHeader(String id, String header, ValueResolver.Resolved value, String where) {
      uriHeaders.add(id, header, value, where);
    }

    void uriPrefix(String id, String prefix, String where) {
      UriPrefix parsed = UriPrefix.parse(prefix, where);
      String earlier = uriPrefixWhere.putIfAbsent(id, where);
      if (earlier != null) {
        throw new HeaderConfigException(where + ": the prefix is already set by " + earlier);
      }
      for (Map.Entry<String, UriPrefix> other : uriPrefixes.entrySet()) {
        if (other.getValue().equals(parsed)) {
          throw new HeaderConfigException(
              where
                  + ": the same URI prefix is already configured by "
                  + uriPrefixWhere.get(other.getKey())
                  + "; put both sections' headers in one");
        }
      }
      uriPrefixes.put(id, parsed);
    }

    ServerHeaderTable.Source build(
        String description, boolean environmentStyle, String prefixKey, String headersKey) {
      List<ServerHeaderTable.UriSection> uris = new ArrayList<>();
      Map<String, McpHeaders> headersById = uriHeaders.build();
      for (String id : headersById.keySet()) {
        if (!uriPrefixes.containsKey(id)) {
          throw new HeaderConfigException(
              description
                  + ": URI section "
                  + SafeText.quote(id)
                  + " has headers but no prefix ("
                  + prefixKey
                  + ")");
        }
      }
      for (Map.Entry<String, UriPrefix> prefix : uriPrefixes.entrySet()) {
        McpHeaders headers = headersById.get(prefix.getKey());
        if (headers == null) {
          throw new HeaderConfigException(
              uriPrefixWhere.get(prefix.getKey())
                  + ": URI section has a prefix but no headers ("
                  + headersKey
                  + ")");
        }
        uris.add(new ServerHeaderTable.UriSection(prefix.getValue(), headers));
      }
      return new ServerHeaderTable.Source(
          description, global.get(GLOBAL), servers.build(), environmentStyle, uris);
    }
  }
}
