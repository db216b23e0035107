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
    assertThat(UriPrefix.parse("https://a.test/api/v1", "x").specificity())
        .isGreaterThan(UriPrefix.parse("https://a.test/api", "x").specificity());
    assertThat(UriPrefix.parse("https://a.test/api/", "x"))
        .isEqualTo(UriPrefix.parse("https://a.test/api", "x"));
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

  @Property(tries = 500)
  void dotSegmentsCannotClimbOutOfThePrefix(
      @ForAll("segments") String base,
      @ForAll("segments") String other,
      @ForAll("dots") String dots) {
    UriPrefix prefix = UriPrefix.parse("http://h.test/" + base, "here");
    String climbed = "http://h.test/" + base + "/" + dots + "/" + other;
    assertThat(prefix.matches(URI.create(climbed))).isEqualTo(other.equals(base));
    assertThat(prefix.matches(URI.create("http://h.test/" + base + "/./" + other))).isTrue();
  }

  @Test
  void pathsAreComparedNormalised() {
    UriPrefix api = UriPrefix.parse("http://h/api", "here");
    assertThat(api.matches(URI.create("http://h/api/../admin"))).isFalse();
    assertThat(api.matches(URI.create("http://h/api/%2e%2e/admin"))).isFalse();
    assertThat(api.matches(URI.create("http://h/api/%2E%2E/admin"))).isFalse();
    assertThat(api.matches(URI.create("http://h/api/.%2e/api"))).isTrue();
    assertThat(api.matches(URI.create("http://h/%61pi/mcp"))).isTrue();
    assertThat(api.matches(URI.create("http://h/x/../api/mcp"))).isTrue();
    assertThat(UriPrefix.parse("http://h/api/../admin", "here").matches(URI.create("http://h/api")))
        .isFalse();

    UriPrefix mcp = UriPrefix.parse("http://h/mcp/", "here");
    assertThat(mcp.matches(URI.create("http://h/mcp"))).isTrue();
    assertThat(mcp.matches(URI.create("http://h/mcp/"))).isTrue();
    assertThat(mcp.matches(URI.create("http://h/mcp/x"))).isTrue();
    assertThat(mcp.matches(URI.create("http://h/mcpx"))).isFalse();
    assertThat(UriPrefix.parse("http://h/mcp", "here").matches(URI.create("http://h/mcp/")))
        .isTrue();
  }

  @Test
  void ipv6LiteralsAreComparedInCanonicalForm() {
    UriPrefix loopback = UriPrefix.parse("http://[::1]:8080/mcp", "here");
    assertThat(loopback.matches(URI.create("http://[0:0:0:0:0:0:0:1]:8080/mcp"))).isTrue();
    assertThat(loopback.matches(URI.create("http://[0000::0001]:8080/mcp/x"))).isTrue();
    assertThat(loopback.matches(URI.create("http://[::2]:8080/mcp"))).isFalse();
    assertThat(UriPrefix.parse("http://[2001:DB8::1]/", "here"))
        .isEqualTo(UriPrefix.parse("http://[2001:db8:0:0:0:0:0:1]", "here"));
  }

  @Provide
  Arbitrary<String> dots() {
    return Arbitraries.of("..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "../.", "./..");
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
