package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class HeaderListParserProperties {

  @Property(tries = 1000)
  void percentEncodedValuesParseBackUnchanged(@ForAll("lists") Map<String, String> headers) {
    List<String> items = new ArrayList<>();
    headers.forEach(
        (name, value) ->
            items.add(
                " "
                    + name
                    + " = "
                    + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
    String list = String.join(",", items) + ",";

    List<HeaderListParser.Item> parsed = HeaderListParser.parse(list, "here");

    assertThat(parsed).hasSize(headers.size());
    for (HeaderListParser.Item item : parsed) {
      assertThat(item.value()).isEqualTo(headers.get(item.name()));
    }
  }

  @Property(tries = 500)
  void malformedPercentEscapesAreRefusedWithoutEchoingTheValue(@ForAll("tails") String tail) {
    assertThatThrownBy(() -> HeaderListParser.parse("A=1, B=SECRET%" + tail, "here"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessageStartingWith("here, item 2: '%' at index 6 of the value")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void itemWithoutNameOrEqualsIsRefusedByPosition() {
    assertThatThrownBy(() -> HeaderListParser.parse("A=1,SECRET", "here"))
        .hasMessage("here, item 2: expected Name=value, separated by commas");
    assertThatThrownBy(() -> HeaderListParser.parse("=SECRET", "here"))
        .hasMessage("here, item 1: expected Name=value, separated by commas");
  }

  @Test
  void valueKeepsEqualsSignsAndPlus() {
    assertThat(HeaderListParser.parse("X-A=a=b+c%2Cd", "here"))
        .containsExactly(new HeaderListParser.Item("X-A", "a=b+c,d", 1));
  }

  @Provide
  Arbitrary<Map<String, String>> lists() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("-_")
            .ofMinLength(1)
            .ofMaxLength(12);
    Arbitrary<String> values =
        Arbitraries.strings().withChars("abc ,=%+${}\u00e9\t").ofMaxLength(20).map(String::strip);
    return Arbitraries.maps(names, values).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> tails() {
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.strings().withChars("gG%z ").ofMinLength(1).ofMaxLength(3),
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(1));
  }
}
