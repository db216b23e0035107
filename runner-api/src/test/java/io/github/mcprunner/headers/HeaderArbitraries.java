package io.github.mcprunner.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of header names, values and layers for the properties of this package. */
final class HeaderArbitraries {

  /** The characters of an RFC 9110 token (tchar). */
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
          "Cache-Control");

  static final List<String> SENSITIVE_NAMES =
      List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie");

  static final List<String> SENSITIVE_PARTS =
      List.of(
          "token",
          "secret",
          "key",
          "password",
          "session",
          "credential",
          "auth",
          "cookie",
          "signature",
          "csrf",
          "xsrf",
          "jwt",
          "assertion");

  /** A small pool of base names, so that generated layers often share names. */
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

  private HeaderArbitraries() {}

  /** Any RFC 9110 token, protected or not. */
  static Arbitrary<String> tokens() {
    return Arbitraries.strings().withChars(TCHARS).ofMinLength(1).ofMaxLength(24);
  }

  /** Tokens that are not protected header names. */
  static Arbitrary<String> unprotectedNames() {
    return tokens().filter(name -> !isProtectedReference(name));
  }

  /** Visible ASCII, space and horizontal tab, including leading and trailing blanks. */
  static Arbitrary<String> validValues() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('\t')
        .ofMinLength(0)
        .ofMaxLength(40);
  }

  /** Characters no header value may hold: controls but HTAB, DEL, and anything beyond ASCII. */
  static Arbitrary<Character> invalidValueChars() {
    return Arbitraries.oneOf(
        Arbitraries.chars().range('\u0000', '\u0008'),
        Arbitraries.chars().range('\n', '\u001f'),
        Arbitraries.of('\r', '\n', '\u0000', '\u007f'),
        Arbitraries.chars().range('\u0080', '\u00ff'),
        Arbitraries.chars().range('\u0100', '\uffff'));
  }

  /** Characters no header name may hold. */
  static Arbitrary<Character> invalidNameChars() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            ' ', '\t', '"', '(', ')', ',', '/', ':', ';', '<', '=', '>', '?', '@', '[', '\\', ']',
            '{', '}'),
        Arbitraries.chars().range('\u0000', '\u001f'),
        Arbitraries.of('\u007f'),
        Arbitraries.chars().range('\u0080', '\uffff'));
  }

  /** A valid value with one to three invalid characters inserted at random positions. */
  static Arbitrary<String> invalidValues() {
    return Combinators.combine(
            validValues(),
            invalidValueChars().list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(0, 1000).list().ofSize(3))
        .as(HeaderArbitraries::insert);
  }

  /** The empty name, or a token with one to three invalid characters inserted. */
  static Arbitrary<String> invalidNames() {
    Arbitrary<String> corrupted =
        Combinators.combine(
                tokens(),
                invalidNameChars().list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(0, 1000).list().ofSize(3))
            .as(HeaderArbitraries::insert);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")), net.jqwik.api.Tuple.of(20, corrupted));
  }

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

  /** A protected name ({@code Mcp-Param-*} included) in a random case spelling. */
  static Arbitrary<String> protectedNames() {
    Arbitrary<String> fixed = Arbitraries.of(PROTECTED);
    Arbitrary<String> param = tokens().map(suffix -> "Mcp-Param-" + suffix);
    return Arbitraries.oneOf(fixed, param).flatMap(HeaderArbitraries::spellingsOf);
  }

  /** A name whose value {@code toString()} must redact, in a random case spelling. */
  static Arbitrary<String> sensitiveNames() {
    Arbitrary<String> fixed = Arbitraries.of(SENSITIVE_NAMES);
    Arbitrary<String> containing =
        Combinators.combine(
                Arbitraries.strings().withChars(TCHARS).ofMaxLength(8),
                Arbitraries.of(SENSITIVE_PARTS),
                Arbitraries.strings().withChars(TCHARS).ofMaxLength(8))
            .as((before, part, after) -> before + part + after);
    return Arbitraries.oneOf(fixed, containing)
        .flatMap(HeaderArbitraries::spellingsOf)
        .filter(name -> !isProtectedReference(name));
  }

  /** A name of {@link #POOL} in a random case spelling. */
  static Arbitrary<String> pooledNames() {
    return Arbitraries.of(POOL).flatMap(HeaderArbitraries::spellingsOf);
  }

  /**
   * One layer: sets and removals of pooled names (so that layers overlap), in random order and
   * spelling.
   */
  static Arbitrary<McpHeaders> layers() {
    return layerOps().map(HeaderArbitraries::build);
  }

  /** The sets and removals of one layer, see {@link #layers()}. */
  static Arbitrary<List<Op>> layerOps() {
    Arbitrary<Op> op =
        Combinators.combine(
                pooledNames(),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                Arbitraries.integers().between(0, 4))
            .as((name, value, kind) -> new Op(name, kind == 0 ? null : value));
    return op.list().ofMaxSize(6);
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
   * The protected check as the design states it: lower-case the name's ASCII letters (header names
   * are ASCII; other characters stay as they are) and look it up.
   */
  static boolean isProtectedReference(String name) {
    StringBuilder folded = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    String lower = folded.toString();
    for (String p : PROTECTED) {
      if (p.toLowerCase(Locale.ROOT).equals(lower)) {
        return true;
      }
    }
    return lower.startsWith("mcp-param-");
  }

  private static String insert(String base, List<Character> chars, List<Integer> positions) {
    StringBuilder out = new StringBuilder(base);
    for (int i = 0; i < chars.size(); i++) {
      out.insert(positions.get(i) % (out.length() + 1), chars.get(i).charValue());
    }
    return out.toString();
  }

  /** One set ({@code value != null}) or removal in a layer. */
  record Op(String name, @org.jspecify.annotations.Nullable String value) {}

  /** Returns the headers {@code headers} sets, without its removals (what would be sent). */
  static McpHeaders sendable(McpHeaders headers) {
    McpHeaders.Builder kept = McpHeaders.builder();
    headers.forEach(
        (name, value) -> {
          if (headers.isSecret(name)) {
            kept.setSecret(name, value);
          } else {
            kept.set(name, value);
          }
        });
    return kept.build();
  }

  /** Returns every entry of {@code headers} as {@code Name=value}, in order, removals as -Name. */
  static List<String> exactEntries(McpHeaders headers) {
    List<String> out = new ArrayList<>();
    headers.asMap().forEach((name, value) -> out.add(name + "=" + value));
    for (String removed : headers.removedNames()) {
      out.add("-" + removed);
    }
    return out;
  }
}
