package io.github.mcprunner.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import org.junit.jupiter.api.Test;

/** A lost session reads as one sentence, and is still the MCP SDK's lost-session exception. */
class SessionLostMessageTest {

  @Test
  void a404OnASessionIsALostSessionSaidInOneSentence() {
    RuntimeException error = TransportHttpException.forStatus(404, "POST", null, true);

    assertThat(error)
        .isInstanceOf(McpTransportSessionNotFoundException.class)
        .hasMessage("The MCP server no longer knows the session (HTTP 404 in answer to POST)")
        .hasCauseInstanceOf(TransportHttpException.class);
    assertThat(error.toString()).doesNotContain("Session The MCP server");
  }

  @Test
  void a404WithoutASessionStaysAnHttpStatus() {
    RuntimeException error = TransportHttpException.forStatus(404, "POST", null, false);

    assertThat(error).isExactlyInstanceOf(TransportHttpException.class);
    assertThat(error).hasMessage("HTTP 404 in answer to POST");
  }
}
