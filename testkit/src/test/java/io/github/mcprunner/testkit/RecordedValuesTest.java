package io.github.mcprunner.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedValuesTest {

  private static Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Authorization", List.of("Bearer secret-token"));
    headers.put("x-tenant-id", List.of("acme", "globex"));
    return headers;
  }

  @Test
  void headerLookupsIgnoreCaseAndKeepTheReceivedSpelling() {
    RecordedRequest request =
        new RecordedRequest(
            "POST", "/mcp", null, "tools/list", null, "1", headers(), null, 200, "{}");

    assertThat(request.header("AUTHORIZATION")).contains("Bearer secret-token");
    assertThat(request.headerValues("X-Tenant-Id")).containsExactly("acme", "globex");
    assertThat(request.header("missing")).isEmpty();
    assertThat(request.headers().keySet()).containsExactly("Authorization", "x-tenant-id");
    assertThat(request.toString()).doesNotContain("secret-token").doesNotContain("acme");
  }

  @Test
  void toolRequestHeadersIgnoreCaseAndToStringHidesValues() {
    ToolRequest request = ToolRequest.of(headers(), "s-1");

    assertThat(request.header("authorization")).contains("Bearer secret-token");
    assertThat(request.headerValues("X-TENANT-ID")).containsExactly("acme", "globex");
    assertThat(request.sessionId()).contains("s-1");
    assertThat(request.progress(1, 2, "ignored")).isFalse();
    assertThat(request.toString()).doesNotContain("secret-token").doesNotContain("s-1");
  }

  @Test
  void jsonRpcPeekReadsMethodIdAndToolNameAndTheFirstMessageOfABatch() {
    var json = McpJsonDefaults.getMapper();
    assertThat(
            JsonRpcPeek.of(
                json,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"add\"}}"))
        .isEqualTo(new JsonRpcPeek("tools/call", "7", "add"));
    assertThat(
            JsonRpcPeek.of(
                json,
                "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"tools/list\"}]"))
        .isEqualTo(new JsonRpcPeek("ping", "a", null));
    assertThat(JsonRpcPeek.of(json, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"))
        .isEqualTo(new JsonRpcPeek(null, "3", null));
    assertThat(JsonRpcPeek.of(json, "not json")).isEqualTo(JsonRpcPeek.NONE);
    assertThat(JsonRpcPeek.of(json, "")).isEqualTo(JsonRpcPeek.NONE);
  }

  @Test
  void bigTextHasExactlyTheBytesAsked() {
    for (int bytes : new int[] {0, 1, 2, 3, 9, 10, 11, 1000, 65_537}) {
      assertThat(
              EmbeddedMcpServer.bigText(bytes, true)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .hasSize(bytes);
      assertThat(EmbeddedMcpServer.bigText(bytes, false)).hasSize(bytes);
    }
  }
}
