package io.github.mcprunner.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
