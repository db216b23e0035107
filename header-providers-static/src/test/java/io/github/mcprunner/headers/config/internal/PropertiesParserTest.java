package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertiesParserTest {

  @Test
  void entriesCarryTheLineTheyStartOn() {
    String text =
        "# comment\n"
            + "\n"
            + "a=1\r\n"
            + "  b : 2\r"
            + "c = first \\\n"
            + "    second\n"
            + "! another comment\n"
            + "d\n";

    List<PropertiesParser.Entry> entries = PropertiesParser.parse(text, "test");

    assertThat(entries)
        .containsExactly(
            new PropertiesParser.Entry("a", "1", 3),
            new PropertiesParser.Entry("b", "2", 4),
            new PropertiesParser.Entry("c", "first second", 5),
            new PropertiesParser.Entry("d", "", 8));
  }

  @Test
  void duplicatesAreKeptForTheCallerToRefuse() {
    assertThat(PropertiesParser.parse("a=1\na=2\n", "test"))
        .extracting(PropertiesParser.Entry::line)
        .containsExactly(1, 2);
  }

  @Test
  void malformedEscapeNamesSourceLineAndKeyButNotTheValue() {
    assertThatThrownBy(
            () -> PropertiesParser.parse("a=1\n\nsecret.key=hunter2\\u12G4\n", "File 'x'"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("File 'x' line 3: malformed \\uXXXX escape in the value of key 'secret.key'")
        .hasMessageNotContaining("hunter2");
  }
}
