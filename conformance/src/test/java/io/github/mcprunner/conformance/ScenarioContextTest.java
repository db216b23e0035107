package io.github.mcprunner.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioContextTest {

  private static ScenarioContext read(Map<String, String> env) {
    return ScenarioContext.fromEnvironment(env, McpJsonDefaults.getMapper());
  }

  @Test
  void readsTheScenarioAndItsStringSettings() {
    ScenarioContext context =
        read(
            Map.of(
                "MCP_CONFORMANCE_SCENARIO", "auth/client-credentials-basic",
                "MCP_CONFORMANCE_CONTEXT",
                    "{\"name\":\"auth/client-credentials-basic\",\"client_id\":\"c1\",\"n\":3}"));

    assertThat(context.scenario()).isEqualTo("auth/client-credentials-basic");
    assertThat(context.require("client_id")).isEqualTo("c1");
    assertThat(context.optional("n")).as("not a string").isEmpty();
    assertThat(context.optional("client_secret")).isEmpty();
  }

  @Test
  void missingSettingIsNamedWithoutAnyValue() {
    ScenarioContext context =
        read(
            Map.of(
                "MCP_CONFORMANCE_SCENARIO", "auth/client-credentials-jwt",
                "MCP_CONFORMANCE_CONTEXT", "{\"client_secret\":\"hunter2-secret\"}"));

    assertThatThrownBy(() -> context.require("private_key_pem"))
        .hasMessageContaining("'private_key_pem'")
        .hasMessageContaining("auth/client-credentials-jwt")
        .hasMessageNotContaining("hunter2-secret");
  }

  @Test
  void malformedContextIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "MCP_CONFORMANCE_SCENARIO", "x",
                        "MCP_CONFORMANCE_CONTEXT", "{\"secret\": \"hunter2-secret\"")))
        .hasMessage("MCP_CONFORMANCE_CONTEXT is not a JSON object")
        .hasNoCause();
  }
}
