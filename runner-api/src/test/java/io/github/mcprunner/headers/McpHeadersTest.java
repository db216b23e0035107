package io.github.mcprunner.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class McpHeadersTest {

  @Test
  void toStringRedactsSensitiveValuesAndShowsRemovals() {
    McpHeaders headers =
        McpHeaders.builder()
            .set("Authorization", "Bearer abc")
            .set("X-Tenant-Id", "acme")
            .set("X-Api-Key", "k-123")
            .remove("X-Trace")
            .build();

    assertThat(headers.toString())
        .isEqualTo("{Authorization=██, X-Tenant-Id=acme, X-Api-Key=██, -X-Trace}");
  }

  @Test
  void lineBreakInValueIsRefusedWithAMessageNamingHeaderAndLayer() {
    assertThatThrownBy(
            () -> McpHeaders.validate("X-Tenant-Id", "acme\r\nHost: evil", "per-run headers"))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessage(
            "Header 'X-Tenant-Id' set by per-run headers has a value that contains a line break"
                + " (CR or LF); values are never echoed");
  }

  @Test
  void protectedNamesIncludeFramingProtocolAndMcpParamHeaders() {
    assertThat(McpHeaders.isProtected("host")).isTrue();
    assertThat(McpHeaders.isProtected("TRANSFER-ENCODING")).isTrue();
    assertThat(McpHeaders.isProtected("Mcp-Session-Id")).isTrue();
    assertThat(McpHeaders.isProtected("mcp-param-region")).isTrue();
    assertThat(McpHeaders.isProtected("Mcp-Param-")).isTrue();
    assertThat(McpHeaders.isProtected("Mcp-Params")).isFalse();
    assertThat(McpHeaders.isProtected("X-Host")).isFalse();
    assertThat(McpHeaders.isProtected("Authorization")).isFalse();
    assertThat(McpHeaders.isProtected("")).isFalse();
  }

  @Test
  void higherLayerRemovalThenSetKeepsThePositionOfTheFirstAppearance() {
    McpHeaders lower = McpHeaders.of("A", "1", "B", "2");
    McpHeaders removeA = McpHeaders.builder().remove("a").build();
    McpHeaders setA = McpHeaders.of("a", "3");

    McpHeaders merged = lower.overriddenBy(removeA).overriddenBy(setA);

    assertThat(merged.asMap())
        .containsExactly(java.util.Map.entry("a", "3"), java.util.Map.entry("B", "2"));
  }

  @Test
  void headerContextBuilderGivesProvidersTheValuesTheyNeedInTests() {
    McpServerRef crm = McpServerRef.of("crm", "https://crm.example.com/mcp");
    HeaderContext context =
        HeaderContext.builder(crm)
            .agentName("bot")
            .runId("r-1")
            .put(ContextKey.TENANT_ID, "acme")
            .resolvedSoFar(McpHeaders.of("X-A", "1"))
            .build();

    assertThat(context.server()).isEqualTo(crm);
    assertThat(context.get(ContextKey.TENANT_ID)).hasValue("acme");
    assertThat(context.get(ContextKey.USER_ID)).isEmpty();
    assertThat(context.mcpMethod()).isEmpty();
    assertThat(context.resolvedSoFar().get("x-a")).hasValue("1");
    assertThat(context.toString()).doesNotContain("acme");
  }

  @Test
  void contentCodingAndOriginAreProtectedUserAgentIsNot() {
    assertThat(McpHeaders.isProtected("Content-Encoding")).isTrue();
    assertThat(McpHeaders.isProtected("accept-encoding")).isTrue();
    assertThat(McpHeaders.isProtected("ORIGIN")).isTrue();
    assertThat(McpHeaders.isProtected("User-Agent")).isFalse();
    assertThat(McpHeaders.isProtected("X-Origin")).isFalse();
  }

  @Test
  void theUsualAuthenticationHeadersAreSensitive() {
    for (String name :
        List.of(
            "X-Auth-User",
            "X-Auth",
            "X-Hub-Signature-256",
            "X-Amz-Signature",
            "X-CSRF-Token",
            "X-XSRF-TOKEN",
            "X-Csrf",
            "Cookie2",
            "Set-Cookie2",
            "Proxy-Authorization",
            "Proxy-Authenticate",
            "X-Goog-Iap-Jwt-Assertion",
            "X-Passcode")) {
      assertThat(McpHeaders.isSensitive(name)).as(name).isTrue();
      assertThat(McpHeaders.of(name, "v4lue").toString()).as(name).doesNotContain("v4lue");
    }
    assertThat(McpHeaders.isSensitive("X-Tenant-Id")).isFalse();
    assertThat(McpHeaders.isSensitive("X-Request-Id")).isFalse();
    assertThat(McpHeaders.isSensitive("User-Agent")).isFalse();
  }

  @Test
  void aNameLongerThanTheBoundIsRefusedWithoutPrintingItWhole() {
    String atBound = "X-" + "a".repeat(McpHeaders.MAX_NAME_LENGTH - 2);
    String tooLong = atBound + "b";

    assertThat(McpHeaders.of(atBound, "v").contains(atBound)).isTrue();
    assertThatThrownBy(() -> McpHeaders.of(tooLong, "v"))
        .isInstanceOf(InvalidMcpHeaderException.class)
        .hasMessageContaining("has a name of 257 characters, longer than the 256 allowed")
        .hasMessageNotContaining(tooLong);
    assertThatThrownBy(() -> McpHeaders.builder().remove(tooLong))
        .isInstanceOf(InvalidMcpHeaderException.class);
  }

  @Test
  void printableRedactsEveryQueryValueAndDropsUserInfoAndFragment() {
    assertThat(
            McpServerRef.printable(
                URI.create("https://crm.example.com:8443/mcp?api_key=s3cr3t&v=2&flag#frag")))
        .isEqualTo("https://crm.example.com:8443/mcp?api_key=██&v=██&██");
    assertThat(McpServerRef.printable(URI.create("http://u:p4ss@[::1]:80/sse?t=x")))
        .isEqualTo("http://[::1]:80/sse?t=██");
    assertThat(McpServerRef.printable(URI.create("https://crm.example.com/mcp")))
        .isEqualTo("https://crm.example.com/mcp");
    assertThat(McpServerRef.of("crm", "https://h/mcp?token=s3cr3t").toString())
        .isEqualTo("McpServerRef[name=crm, uri=https://h/mcp?token=██]");
  }
}
