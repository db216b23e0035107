package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RecordingRelayTest {

  @Test
  void aServerThatCannotBeReachedIsAnsweredWith502NamingItAndTheCause() throws Exception {
    URI unreachable = URI.create("http://127.0.0.1:1/mcp");
    try (RecordingRelay relay = RecordingRelay.start(unreachable)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(relay.url())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body())
          .contains("the MCP server at http://127.0.0.1:1/mcp could not be reached (")
          .contains("ConnectException");
      assertThat(relay.upstreamFailures().entrySet())
          .singleElement()
          .satisfies(
              failure -> {
                assertThat(failure.getKey()).startsWith("ConnectException");
                assertThat(failure.getValue()).isEqualTo(1);
              });
      assertThat(relay.requests())
          .singleElement()
          .satisfies(
              request -> {
                assertThat(request.mcpMethod()).isEqualTo("initialize");
                assertThat(request.status()).isEqualTo(502);
              });
    }
  }
}
