package io.github.mcprunner.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated runs with random contents in all five layers, against the embedded MCP server: the
 * headers the server received on every request of the run equal the chain's merge, computed here by
 * a plain model of the rules (later layer wins per lower-cased name, a removal deletes).
 */
class ChainOverTheWireProperties {

  private static EmbeddedMcpServer server;

  @BeforeContainer
  static void start() {
    server =
        EmbeddedMcpServer.builder().mode(EmbeddedMcpServer.Mode.STATEFUL).defaultTools().start();
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  /** One layer: entries to set (name → value) and names to remove, in generated spellings. */
  record Layer(Map<String, String> set, List<String> remove) {
    McpHeaders headers() {
      McpHeaders.Builder builder = McpHeaders.builder();
      set.forEach(builder::set);
      remove.forEach(builder::remove);
      return builder.build();
    }
  }

  @Provide
  Arbitrary<Layer> layers() {
    Arbitrary<String> names =
        Arbitraries.of("X-A", "X-B", "X-C", "X-D", "X-E", "Authorization")
            .flatMap(
                name ->
                    Arbitraries.of(
                        name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)));
    Arbitrary<String> values =
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12);
    Arbitrary<Map<String, String>> sets = Arbitraries.maps(names, values).ofMaxSize(4);
    Arbitrary<List<String>> removes = names.list().ofMaxSize(2);
    return Combinators.combine(sets, removes)
        .as(
            (set, remove) -> {
              // One entry per name, ignoring case, as a layer holds.
              Map<String, String> unique = new LinkedHashMap<>();
              Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
              set.forEach(
                  (n, v) -> {
                    if (seen.putIfAbsent(n, n) == null) {
                      unique.put(n, v);
                    }
                  });
              List<String> rm =
                  remove.stream().filter(n -> seen.putIfAbsent(n, n) == null).distinct().toList();
              return new Layer(unique, rm);
            });
  }

  @Property(tries = 40)
  void serverReceivesExactlyTheMergeOfAllFiveLayers(
      @ForAll("layers") Layer defaults,
      @ForAll("layers") Layer statics,
      @ForAll("layers") Layer provided,
      @ForAll("layers") Layer perRun,
      @ForAll("layers") Layer perServer) {
    McpHeaderProvider provider =
        new McpHeaderProvider() {
          @Override
          public String name() {
            return "generated";
          }

          @Override
          public McpHeaders headers(HeaderContext context) {
            return provided.headers();
          }
        };
    server.clearRequests();
    try (Runner runner =
        Runners.builder()
            .discoverHeaderProviders(false)
            .defaultMcpHeaders(defaults.headers())
            .headerProvider(provider)
            .build()) {
      Agent agent =
          Agent.builder("prop")
              .model(ScriptedModel.builder().callTool("whoami", "{}").answer(r -> "ok").build())
              .mcpServer(
                  McpServerSpec.builder("s", server.url()).headers(statics.headers()).build())
              .build();
      runner.run(
          agent,
          "go",
          RunOptions.builder()
              .identity("prop-" + System.nanoTime())
              .mcpHeaders(perRun.headers())
              .mcpHeaders("s", perServer.headers())
              .build());
    }

    Map<String, String> expected = new TreeMap<>();
    for (Layer layer : List.of(defaults, statics, provided, perRun, perServer)) {
      layer.set().forEach((n, v) -> expected.put(n.toLowerCase(Locale.ROOT), v));
      layer.remove().forEach(n -> expected.remove(n.toLowerCase(Locale.ROOT)));
    }
    // Only this try's session: a GET stream the SDK opened for an earlier try's session may reach
    // the server late, after that try's runner closed it.
    List<RecordedRequest> all = server.requests();
    String session =
        all.stream()
            .filter(r -> "tools/call".equals(r.mcpMethod()))
            .findFirst()
            .orElseThrow()
            .sessionId();
    List<RecordedRequest> requests =
        all.stream()
            .filter(
                r ->
                    r.sessionId() == null
                        ? "initialize".equals(r.mcpMethod())
                        : r.sessionId().equals(session))
            .toList();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(4);
    for (RecordedRequest request : requests) {
      Map<String, String> received = new TreeMap<>();
      for (String name : RunnerEndToEndTest.customHeaders(request)) {
        List<String> values = request.headerValues(name);
        assertThat(values).as(name + " sent once").hasSize(1);
        received.put(name, values.get(0));
      }
      assertThat(received).as(RunnerEndToEndTest.describe(request)).isEqualTo(expected);
    }
  }
}
