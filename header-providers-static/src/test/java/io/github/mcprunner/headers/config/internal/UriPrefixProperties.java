package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UriPrefixProperties {

  @Property(tries = 1000)
  void prefixMatchesEveryPathBelowItOnTheSameOrigin(
      @ForAll("segments") String base, @ForAll("segments") String below) {
    UriPrefix prefix = UriPrefix.parse("https://crm.example.com/" + base, "here");
    assertThat(prefix.matches(URI.create("https://crm.example.com/" + base))).isTrue();
    assertThat(prefix.matches(URI.create("https://CRM.Example.com:443/" + base + "/" + below)))
        .isTrue();
  }

  @Property(tries = 1000)
  void prefixNeverMatchesAnotherHostPortOrScheme(
      @ForAll("segments") String base, @ForAll("hosts") String suffix) {
    UriPrefix prefix = UriPrefix.parse("https://crm.example.com/" + base, "here");
    assertThat(prefix.matches(URI.create("https://crm.example.com" + suffix + "/" + base)))
        .isFalse();
    assertThat(prefix.matches(URI.create("https://crm.example.com:8443/" + base))).isFalse();
    assertThat(prefix.matches(URI.create("http://crm.example.com/" + base))).isFalse();
    assertThat(prefix.matches(URI.create("https://user@evil.test/" + base))).isFalse();
  }

  @Property(tries = 1000)
  void prefixWithoutTrailingSlashStopsAtSegmentBoundaries(
      @ForAll("segments") String base, @ForAll("segments") String more) {
    UriPrefix prefix = UriPrefix.parse("https://crm.example.com/" + base, "here");
    assertThat(prefix.matches(URI.create("https://crm.example.com/" + base + more))).isFalse();
  }

  @Test
  void originPrefixMatchesEveryPath() {
    UriPrefix prefix = UriPrefix.parse("http://localhost:8080", "here");
    assertThat(prefix.matches(URI.create("http://LOCALHOST:8080"))).isTrue();
    assertThat(prefix.matches(URI.create("http://localhost:8080/mcp"))).isTrue();
    assertThat(prefix.matches(URI.create("http://localhost/mcp"))).isFalse();
    assertThat(prefix.matches(URI.create("mailto:a@localhost"))).isFalse();
    assertThat(prefix.matches(URI.create("/relative"))).isFalse();
  }

  @Test
  void longerPathIsMoreSpecific() {
    assertThat(UriPrefix.parse("https://a.test/api/", "x").specificity())
        .isGreaterThan(UriPrefix.parse("https://a.test/api", "x").specificity());
    assertThat(UriPrefix.parse("https://a.test", "x"))
        .isEqualTo(UriPrefix.parse("HTTPS://A.test:443/", "x"));
  }

  @Test
  void prefixesThatCannotSelectServersSafelyAreRefused() {
    for (String bad :
        new String[] {
          "crm.example.com/api",
          "ftp://crm.example.com/",
          "https:///path",
          "https://u:p@h.test/",
          "https://h.test/?q=1",
          "https://h.test/#f",
          "https://h.test/ bad"
        }) {
      assertThatThrownBy(() -> UriPrefix.parse(bad, "here"))
          .isInstanceOf(HeaderConfigException.class)
          .hasMessageStartingWith("here: the URI prefix")
          .hasMessageNotContaining(bad);
    }
  }

  @Provide
  Arbitrary<String> segments() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("-_.~")
        .ofMinLength(1)
        .ofMaxLength(8)
        .filter(s -> !s.equals(".") && !s.equals(".."));
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of(".evil.test", "x", "-evil.test", ".", "1.evil");
  }
}
