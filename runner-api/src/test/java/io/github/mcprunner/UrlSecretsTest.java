package io.github.mcprunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A credential in a server URL's query is printed nowhere: not by the spec, not by errors. */
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
}
