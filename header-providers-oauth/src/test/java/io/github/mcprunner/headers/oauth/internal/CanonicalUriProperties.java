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

class CanonicalUriProperties {

  @Provide
  Arbitrary<URI> serverUris() {
    Arbitrary<String> scheme = Arbitraries.of("http", "https", "HTTPS", "Http");
    Arbitrary<String> host =
        Arbitraries.strings()
            .withChars("abcXYZ019")
            .ofMinLength(1)
            .ofMaxLength(8)
            .map(label -> label + ".Example.com");
    Arbitrary<String> port = Arbitraries.of("", ":80", ":443", ":8443", ":1");
    Arbitrary<String> path =
        Arbitraries.strings()
            .withChars("abcMCP-_~/")
            .ofMaxLength(12)
            .map(p -> p.isEmpty() ? "" : "/" + p);
    Arbitrary<String> tail = Arbitraries.of("", "?tenant=a", "#frag", "?x=1#frag", "/", "//");
    return Combinators.combine(scheme, host, port, path, tail)
        .as((s, h, p, pa, t) -> URI.create(s + "://" + h + p + pa + t));
  }

  @Property
  void canonicalFormIsAFixedPoint(@ForAll("serverUris") URI uri) {
    String canonical = CanonicalUri.of(uri);
    assertThat(CanonicalUri.of(URI.create(canonical))).isEqualTo(canonical);
  }

  @Property
  void canonicalFormHasLowerCaseSchemeAndHostNoFragmentNoTrailingSlashNoDefaultPort(
      @ForAll("serverUris") URI uri) {
    String canonical = CanonicalUri.of(uri);
    URI parsed = URI.create(canonical);
    assertThat(parsed.getScheme()).isEqualTo(uri.getScheme().toLowerCase(java.util.Locale.ROOT));
    assertThat(parsed.getHost()).isEqualTo(uri.getHost().toLowerCase(java.util.Locale.ROOT));
    assertThat(parsed.getRawFragment()).isNull();
    assertThat(parsed.getRawPath()).doesNotEndWith("/");
    int defaultPort = parsed.getScheme().equals("http") ? 80 : 443;
    assertThat(parsed.getPort()).isNotEqualTo(defaultPort);
    assertThat(parsed.getRawQuery()).isEqualTo(uri.getRawQuery());
  }

  @Property
  void spellingsOfOneServerShareOneCanonicalForm(@ForAll("serverUris") URI uri) {
    URI respelled =
        URI.create(
            uri.getScheme().toUpperCase(java.util.Locale.ROOT)
                + "://"
                + uri.getRawAuthority().toUpperCase(java.util.Locale.ROOT)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + "/"
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    assertThat(CanonicalUri.of(respelled)).isEqualTo(CanonicalUri.of(uri));
  }

  @Example
  void examplesFromTheMcpAuthorizationSpecification() {
    assertThat(CanonicalUri.of(URI.create("https://mcp.example.com/mcp")))
        .isEqualTo("https://mcp.example.com/mcp");
    assertThat(CanonicalUri.of(URI.create("https://mcp.example.com")))
        .isEqualTo("https://mcp.example.com");
    assertThat(CanonicalUri.of(URI.create("https://mcp.example.com/")))
        .isEqualTo("https://mcp.example.com");
    assertThat(CanonicalUri.of(URI.create("https://mcp.example.com:8443")))
        .isEqualTo("https://mcp.example.com:8443");
    assertThat(CanonicalUri.of(URI.create("HTTPS://MCP.Example.com:443/server/mcp/#x")))
        .isEqualTo("https://mcp.example.com/server/mcp");
    assertThatThrownBy(() -> CanonicalUri.of(URI.create("mcp.example.com")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
