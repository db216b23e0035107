package io.github.mcprunner.core.internal;

import io.github.mcprunner.headers.McpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jspecify.annotations.Nullable;

/** Generators of header layers and names for the properties of the header chain. */
final class ChainArbitraries {

  static final String TCHARS =
      "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  static final List<String> PROTECTED =
      List.of(
          "Host",
          "Content-Length",
          "Transfer-Encoding",
          "Connection",
          "Upgrade",
          "Expect",
          "TE",
          "Trailer",
          "Keep-Alive",
          "Proxy-Connection",
          "HTTP2-Settings",
          "Content-Encoding",
          "Accept-Encoding",
          "Origin",
          "Content-Type",
          "Accept",
          "Mcp-Session-Id",
          "MCP-Protocol-Version",
          "Last-Event-ID",
          "Mcp-Method",
          "Mcp-Name",
          "Mcp-Param-Region",
          "Cache-Control");

  /** A small pool of names, so that generated layers often share names. */
  static final List<String> POOL =
      List.of(
          "Authorization",
          "X-User-Id",
          "X-Tenant-Id",
          "X-Request-Id",
          "X-Trace",
          "X-Api-Version",
          "User-Agent",
          "X-Region");

  private ChainArbitraries() {}

  /** {@code name} with each letter in a random case. */
  static Arbitrary<String> spellingsOf(String name) {
    return Arbitraries.of(true, false)
        .list()
        .ofSize(name.length())
        .map(
            upper -> {
              StringBuilder out = new StringBuilder(name.length());
              for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                out.append(upper.get(i) ? Character.toUpperCase(c) : Character.toLowerCase(c));
              }
              return out.toString();
            });
  }

  static Arbitrary<String> pooledNames() {
    return Arbitraries.of(POOL).flatMap(ChainArbitraries::spellingsOf);
  }

  /** Header values: visible ASCII, blanks and tabs; one to twelve characters. */
  static Arbitrary<String> values() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('\t')
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  /** A protected name ({@code Mcp-Param-*} included) in a random case spelling. */
  static Arbitrary<String> protectedNames() {
    Arbitrary<String> fixed = Arbitraries.of(PROTECTED);
    Arbitrary<String> param =
        Arbitraries.strings()
            .withChars(TCHARS)
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(suffix -> "Mcp-Param-" + suffix);
    return Arbitraries.oneOf(fixed, param).flatMap(ChainArbitraries::spellingsOf);
  }

  /** The sets and removals (one in five) of one layer over pooled names. */
  static Arbitrary<List<Op>> layerOps() {
    Arbitrary<Op> op =
        Combinators.combine(pooledNames(), values(), Arbitraries.integers().between(0, 4))
            .as((name, value, kind) -> new Op(name, kind == 0 ? null : value));
    return op.list().ofMaxSize(5);
  }

  static McpHeaders build(List<Op> ops) {
    McpHeaders.Builder builder = McpHeaders.builder();
    for (Op op : ops) {
      if (op.value() == null) {
        builder.remove(op.name());
      } else {
        builder.set(op.name(), op.value());
      }
    }
    return builder.build();
  }

  /**
   * The precedence rule written the obvious way: one list of slots keyed by the lower-cased name;
   * every set or removal, layer after layer, replaces the slot's spelling and value (a removal
   * empties it) keeping its position, or appends a slot. Returns {@code Name=value} per header
   * left.
   */
  static List<String> referenceMerge(List<List<Op>> layers) {
    List<String> keys = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<@Nullable String> values = new ArrayList<>();
    for (List<Op> layer : layers) {
      for (Op op : layer) {
        String key = op.name().toLowerCase(Locale.ROOT);
        int at = keys.indexOf(key);
        if (at < 0) {
          keys.add(key);
          names.add(op.name());
          values.add(op.value());
        } else {
          names.set(at, op.name());
          values.set(at, op.value());
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i) != null) {
        out.add(names.get(i) + "=" + values.get(i));
      }
    }
    return out;
  }

  /** Returns {@code Name=value} for every header set, in order and spelling; removals as -Name. */
  static List<String> exact(McpHeaders headers) {
    List<String> out = new ArrayList<>();
    headers.asMap().forEach((name, value) -> out.add(name + "=" + value));
    for (String removed : headers.removedNames()) {
      out.add("-" + removed);
    }
    return out;
  }

  /** One set ({@code value != null}) or removal in a layer. */
  record Op(String name, @Nullable String value) {
    static Op set(String name, String value) {
      return new Op(name, value);
    }

    static Op remove(String name) {
      return new Op(name, null);
    }
  }
}
