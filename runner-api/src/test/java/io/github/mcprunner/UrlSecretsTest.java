package io.github.mcprunner;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.McpSessionStart;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * A credential in a server URL's query is printed nowhere: not by the spec, not by errors, not by
 * what observers are given.
 */
class UrlSecretsTest {

  private static final URI URL = URI.create("https://crm.example.com/mcp?api_key=s3cr3t-k3y&v=2");

  @Test
  void theSpecPrintsItsUrlWithTheQueryValuesRedacted() {
    McpServerSpec spec = McpServerSpec.builder("crm", URL).build();

    assertThat(spec.toString())
        .contains("uri=https://crm.example.com/mcp?api_key=██&v=██")
        .doesNotContain("s3cr3t-k3y");
    assertThat(spec.uri()).isEqualTo(URL);
  }

  @Test
  void serverErrorsPrintTheUrlWithTheQueryValuesRedacted() {
    McpServerException error =
        new McpServerException("crm", URL, "did not answer tools/call within PT5S", null);
    McpUnauthorizedException refused = new McpUnauthorizedException("crm", URL, 401, true, null);

    assertThat(error.getMessage())
        .isEqualTo(
            "MCP server 'crm' at https://crm.example.com/mcp?api_key=██&v=██ did not answer"
                + " tools/call within PT5S");
    assertThat(refused.getMessage()).doesNotContain("s3cr3t-k3y").contains("api_key=██");
    assertThat(error.serverUrl()).isEqualTo(URL);
  }

  @Test
  void observedRequestsAndSessionsPrintTheUrlWithTheQueryValuesRedacted() {
    McpRequestStart request =
        new McpRequestStart("crm", URL, "tools/call", "lookup", "2025-11-25", "session-1");
    McpSessionStart session = new McpSessionStart("crm", URL, "2025-11-25");

    assertThat(request.toString())
        .isEqualTo(
            "McpRequestStart[serverName=crm, serverUrl=https://crm.example.com/mcp?api_key=██&v=██,"
                + " method=tools/call, toolName=lookup, protocolVersion=2025-11-25,"
                + " sessionId=session-1]");
    assertThat(session.toString())
        .isEqualTo(
            "McpSessionStart[serverName=crm, serverUrl=https://crm.example.com/mcp?api_key=██&v=██,"
                + " protocolVersion=2025-11-25]");
    assertThat(request.serverUrl()).isEqualTo(URL);
    assertThat(session.serverUrl()).isEqualTo(URL);
  }
}
