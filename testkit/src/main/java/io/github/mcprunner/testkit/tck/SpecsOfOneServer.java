package io.github.mcprunner.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.List;
import java.util.function.Function;

/** Two agents of one runner declaring the same server with different specs. Not public API. */
final class SpecsOfOneServer {
  private SpecsOfOneServer() {}

  /**
   * Runs two agents whose specs of {@code server} (made by {@code spec} from their static headers)
   * differ only in a static header, interleaved for one identity, and asserts that every request of
   * each run carried its own agent's static header, never the other's.
   */
  static void assertEachAgentSendsItsOwnStaticHeaders(
      Runner runner, EmbeddedMcpServer server, Function<McpHeaders, McpServerSpec> spec) {
    Agent a = agent(spec.apply(McpHeaders.of("X-Api-Version", "1")));
    Agent b = agent(spec.apply(McpHeaders.of("X-Api-Version", "2")));
    for (int i = 0; i < 3; i++) {
      // One identity, the two agents interleaved: one pooled session would serve both.
      runner.run(a, "hi", McpHeaders.of("X-User-Id", "u1", "X-Agent", "1"));
      runner.run(b, "hi", McpHeaders.of("X-User-Id", "u1", "X-Agent", "2"));
    }

    List<RecordedRequest> sent =
        server.requests().stream().filter(r -> r.header("X-Agent").isPresent()).toList();
    assertThat(sent).filteredOn(r -> "tools/call".equals(r.mcpMethod())).hasSize(6);
    for (RecordedRequest request : sent) {
      assertThat(request.header("X-Api-Version"))
          .as(request.mcpMethod() + " of the agent whose spec says " + request.header("X-Agent"))
          .isEqualTo(request.header("X-Agent"));
    }
  }

  private static Agent agent(McpServerSpec server) {
    return Agent.builder("support")
        .model(
            ScriptedModel.builder()
                .callTool("whoami", "{}")
                .answer(request -> "done: " + ScriptedModel.lastToolOutput(request))
                .build())
        .mcpServer(server)
        .build();
  }
}
