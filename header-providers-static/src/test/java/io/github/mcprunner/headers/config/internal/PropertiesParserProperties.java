package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PropertiesParserProperties {

  @Property(tries = 3000)
  void parserReadsWhatJdkPropertiesReadsFromCharacterSoup(@ForAll("characterSoup") String text)
      throws IOException {
    assertAgreesWithJdk(text);
  }

  @Property(tries = 3000)
  void parserReadsWhatJdkPropertiesReadsFromTokenSoup(@ForAll("tokenSoup") String text)
      throws IOException {
    assertAgreesWithJdk(text);
  }

  @Property(tries = 500)
  void everyKeyAndValueStoredByJdkPropertiesParsesBackUnchanged(
      @ForAll("anyMap") Map<String, String> map) throws IOException {
    Properties properties = new Properties();
    properties.putAll(map);
    StringWriter out = new StringWriter();
    properties.store(out, "generated\nwith a line break in the comment");

    List<PropertiesParser.Entry> entries = PropertiesParser.parse(out.toString(), "test");

    Map<String, String> parsed = new LinkedHashMap<>();
    entries.forEach(e -> parsed.put(e.key(), e.value()));
    assertThat(parsed).isEqualTo(map);
    assertThat(entries).hasSize(map.size());
  }

  @Property(tries = 300)
  void entryToStringNeverShowsTheValue(@ForAll("anyMap") Map<String, String> map)
      throws IOException {
    Properties properties = new Properties();
    map.forEach((k, v) -> properties.put(k, "SECRET" + v));
    StringWriter out = new StringWriter();
    properties.store(out, null);
    for (PropertiesParser.Entry entry : PropertiesParser.parse(out.toString(), "test")) {
      assertThat(entry.toString()).doesNotContain("SECRET");
    }
  }

  private static void assertAgreesWithJdk(String text) throws IOException {
    Properties jdk = new Properties();
    try {
      jdk.load(new StringReader(text));
    } catch (IllegalArgumentException malformedEscape) {
      assertThatThrownBy(() -> PropertiesParser.parse(text, "test"))
          .isInstanceOf(HeaderConfigException.class)
          .hasMessageContaining("malformed \\uXXXX escape");
      return;
    }
    Map<String, String> parsed = new LinkedHashMap<>();
    for (PropertiesParser.Entry entry : PropertiesParser.parse(text, "test")) {
      parsed.put(entry.key(), entry.value()); // a later duplicate wins, as in Properties
    }
    Map<String, String> expected = new LinkedHashMap<>();
    jdk.stringPropertyNames().forEach(name -> expected.put(name, jdk.getProperty(name)));
    assertThat(parsed).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> characterSoup() {
    return Arbitraries.strings().withChars("\\=: \t\f#!\n\rua0fFx\u00e9").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(
            "key", "v", "=", ":", " ", "\t", "\f", "\\", "\\\\", "\n", "\r", "\r\n", "#", "!",
            "\\u0041", "\\u00", "\\uZZZZ", "\\n", "\\t", "\\ ", "\\=", "a=b", "  # c", "\u00fc")
        .list()
        .ofMaxSize(25)
        .map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<Map<String, String>> anyMap() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(30);
    return Arbitraries.maps(text, text).ofMaxSize(8);
  }
}
