package io.github.mcprunner.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The value encoding of {@code Mcp-Name} and {@code Mcp-Param-*} (MCP 2026-07-28): plain
 * header-safe ASCII goes as it is; anything else, and anything shaped like the sentinel, goes as
 * {@code =?base64?…?=} of its UTF-8 bytes.
 */
class HeaderValuesProperties {

  @Property(tries = 2000)
  void everyEncodedValueIsHeaderSafeAndDecodesBackToTheValue(@ForAll("values") String value) {
    String encoded = HeaderValues.encode(value);

    for (char c : encoded.toCharArray()) {
      assertThat(c == '\t' || (c >= 0x20 && c <= 0x7E))
          .as("char %04x of %s", (int) c, encoded)
          .isTrue();
    }
    if (!encoded.isEmpty()) {
      assertThat(encoded.charAt(0)).isNotIn(' ', '\t');
      assertThat(encoded.charAt(encoded.length() - 1)).isNotIn(' ', '\t');
    }
    assertThat(decode(encoded)).isEqualTo(value);
  }

  @Property(tries = 2000)
  void plainSafeValuesAreSentAsTheyAre(@ForAll("plain") String value) {
    assertThat(HeaderValues.encode(value)).isEqualTo(value);
  }

  @Property
  void valuesShapedLikeTheSentinelAreAlwaysEncoded(@ForAll("plain") String inner) {
    String literal = "=?base64?" + inner + "?=";

    String encoded = HeaderValues.encode(literal);

    assertThat(encoded).isNotEqualTo(literal);
    assertThat(decode(encoded)).isEqualTo(literal);
  }

  @Example
  void theRevisionsExamples() {
    assertThat(HeaderValues.encode("us-west1")).isEqualTo("us-west1");
    assertThat(HeaderValues.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
    assertThat(HeaderValues.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
    assertThat(HeaderValues.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
    assertThat(HeaderValues.encode("=?base64?literal?="))
        .isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
  }

  /** The receiving side's rule: a value with the sentinel is Base64 of UTF-8, else literal. */
  private static String decode(String header) {
    if (header.startsWith("=?base64?") && header.endsWith("?=") && header.length() >= 11) {
      String inner = header.substring(9, header.length() - 2);
      return new String(Base64.getDecoder().decode(inner), StandardCharsets.UTF_8);
    }
    return header;
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        plain(),
        // Valid Unicode: a lone surrogate has no UTF-8 form (JSON text never yields one here).
        Arbitraries.strings()
            .all()
            .ofMaxLength(40)
            .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)),
        Arbitraries.strings().withChars(" \t\r\n\u0000=?base64aé€").ofMaxLength(20),
        plain().map(s -> "=?base64?" + s + "?="));
  }

  @Provide
  Arbitrary<String> plain() {
    Arbitrary<String> inner =
        Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(30);
    Arbitrary<Character> edge = Arbitraries.chars().range('!', '~');
    return Arbitraries.oneOf(
            Arbitraries.just(""),
            edge.map(String::valueOf),
            net.jqwik.api.Combinators.combine(edge, inner, edge).as((a, m, b) -> a + m + b))
        .filter(s -> !(s.startsWith("=?base64?") && s.endsWith("?=")));
  }
}
