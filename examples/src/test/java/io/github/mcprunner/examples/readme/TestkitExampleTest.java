package io.github.mcprunner.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import org.junit.jupiter.api.Test;

/** The example of testkit's README, run as written (here, where a transport is on the path). */
class TestkitExampleTest {

  @Test
  void theRunsHeadersReachTheEmbeddedServersTools() {
    // snippet:testkit-example
    try (EmbeddedMcpServer server =
            EmbeddedMcpServer.builder()
                .mode(EmbeddedMcpServer.Mode.STATEFUL)
                .defaultTools()
                .tool(
                    "greet",
                    "Greets someone.",
                    "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}",
                    (args, request) ->
                        "Hello "
                            + args.get("name")
                            + " from "
                            + request.header("X-Tenant-Id").orElse("nobody"))
                .start();
        Runner runner = Runners.create()) {

      ScriptedModel model =
          ScriptedModel.builder()
              .callTool("whoami", "{}")
              .callTool("greet", "{\"name\":\"Ada\"}")
              .answer(request -> "Done: " + ScriptedModel.lastToolOutput(request))
              .build();

      Agent agent =
          Agent.builder("support")
              .model(model)
              .mcpServer(McpServerSpec.builder("crm", server.url()).build())
              .build();
      RunResult result =
          runner.run(
              agent,
              "who am I?",
              RunOptions.builder().mcpHeaders(McpHeaders.of("X-Tenant-Id", "acme")).build());

      assertThat(result.finalOutput()).isEqualTo("Done: Hello Ada from acme");
      assertThat(server.requests())
          .filteredOn(r -> r.isToolCall("whoami"))
          .singleElement()
          .satisfies(r -> assertThat(r.header("X-Tenant-Id")).contains("acme"));
    }
    // end-snippet
  }
}
