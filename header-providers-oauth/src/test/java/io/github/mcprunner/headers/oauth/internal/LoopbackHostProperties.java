package io.github.mcprunner.headers.oauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Plain http is accepted for loopback hosts only, decided from the host's text with no name lookup:
 * a host that merely looks like a loopback address must not pass.
 */
class LoopbackHostProperties {

  @Provide
  Arbitrary<String> hostileHosts() {
    Arbitrary<String> label =
        Arbitraries.strings().withChars("abcxyz-019").ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> octet = Arbitraries.integers().between(0, 255).map(String::valueOf);
    return Arbitraries.oneOf(
        // 127.<a name>, 127.0.0.1.<a name>, <a name>.127.0.0.1
        label
            .filter(l -> !l.chars().allMatch(Character::isDigit))
            .map(l -> "127." + l + ".example"),
        label.map(l -> "127.0.0.1." + l),
        label.map(l -> l + ".127.0.0.1"),
        label.map(l -> "localhost." + l),
        label.map(l -> l + "localhost"),
        // too few or too many octets, octets out of range or with leading zeros
        Combinators.combine(octet, octet).as((a, b) -> "127." + a + "." + b),
        Combinators.combine(octet, octet, octet, octet)
            .as((a, b, c, d) -> "127." + a + "." + b + "." + c + "." + d),
        Arbitraries.integers().between(256, 99_999).map(n -> "127.0.0." + n),
        octet.map(o -> "127.0.0.0" + o),
        // another first octet
        Combinators.combine(Arbitraries.integers().between(0, 255).filter(n -> n != 127), octet)
            .as((a, b) -> a + ".0.0." + b),
        Arbitraries.of(
            "127.",
            "127..0.1",
            "127.0.0.",
            "127.0.0.1.",
            "0127.0.0.1",
            "127.0x0.0.1",
            "127.1",
            "2130706433",
            "::ffff:127.0.0.1",
            "[::2]",
            "0:0:0:0:0:0:0:2",
            "localhost.",
            "localhost.evil.example",
            "local-host",
            "127.0.0.1%00",
            "127.0.0.1 "));
  }

  @Property
  void aHostThatOnlyLooksLikeLoopbackIsNotLoopback(@ForAll("hostileHosts") String host) {
    assertThat(TokenEndpointResolver.isLoopback(host)).isFalse();
  }

  @Property
  void plainHttpToAHostThatOnlyLooksLikeLoopbackIsRefused(@ForAll("hostileHosts") String host) {
    URI uri;
    try {
      uri = new URI("http", null, host, -1, "/token", null, null);
    } catch (java.net.URISyntaxException e) {
      return;
    }
    if (uri.getHost() == null) {
      return;
    }
    assertThatThrownBy(() -> TokenEndpointResolver.requireSafe(uri, "token endpoint", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void everyDottedQuadWithFirstOctet127IsLoopback(
      @ForAll @IntRange(min = 0, max = 255) int b,
      @ForAll @IntRange(min = 0, max = 255) int c,
      @ForAll @IntRange(min = 0, max = 255) int d) {
    String host = "127." + b + "." + c + "." + d;
    assertThat(TokenEndpointResolver.isLoopback(host)).isTrue();
    TokenEndpointResolver.requireSafe(URI.create("http://" + host + ":8080/token"), "x", false);
  }

  @Example
  void localhostAndIpv6LoopbackInAnyCaseAreLoopback() {
    assertThat(TokenEndpointResolver.isLoopback("localhost")).isTrue();
    assertThat(TokenEndpointResolver.isLoopback("LocalHost")).isTrue();
    assertThat(TokenEndpointResolver.isLoopback("::1")).isTrue();
    assertThat(TokenEndpointResolver.isLoopback("[::1]")).isTrue();
    TokenEndpointResolver.requireSafe(URI.create("http://[::1]:8080/token"), "x", false);
    assertThatThrownBy(
            () ->
                TokenEndpointResolver.requireSafe(
                    URI.create("http://127.evil.example/token"), "x", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
