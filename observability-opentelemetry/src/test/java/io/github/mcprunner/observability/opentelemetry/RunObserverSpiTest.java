package io.github.mcprunner.observability.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.model.Usage;
import io.github.mcprunner.observe.McpRequestObservation;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.McpSessionObservation;
import io.github.mcprunner.observe.McpSessionStart;
import io.github.mcprunner.observe.ModelTurnObservation;
import io.github.mcprunner.observe.RunObservation;
import io.github.mcprunner.observe.RunObserver;
import io.github.mcprunner.observe.RunStart;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.RecordedRequest;
import io.github.mcprunner.testkit.ScriptedModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The observation SPI as runner-core drives it, seen by a plain JDK observer. */
class RunObserverSpiTest {
  private EmbeddedMcpServer server;
  private Agent agent;

  @BeforeEach
  void start() {
    server = EmbeddedMcpServer.builder().defaultTools().start();
    agent =
        Agent.builder("support")
            .instructions("Help.")
            .model(
                ScriptedModel.builder()
                    .callTool("whoami", "{}")
                    .callTool("add", "{\"a\":1,\"b\":2}")
                    .answer("done")
                    .build())
            .mcpServer(McpServerSpec.builder("tickets", server.url()).build())
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theObserverSeesEveryStepInOrderWithTheRequestIdsTheServerSaw() {
    Recorder recorder = new Recorder();
    try (Runner runner =
        Runners.builder()
            .discoverObservers(false)
            .discoverHeaderProviders(false)
            .observer(recorder)
            .build()) {
      runner.run(
          agent,
          "Add",
          RunOptions.builder()
              .context(ContextKey.TENANT_ID, "acme")
              .context(ContextKey.USER_ID, "alice")
              .build());
    }
    List<String> ids = observedRequestIds();
    assertThat(recorder.events)
        .containsExactly(
            "run support kind=AGENT tenant=acme user=alice",
            "request initialize tool=null protocol=null",
            "sent initialize " + ids.get(0),
            "ok initialize toolError=false",
            "session tickets",
            "request tools/list tool=null protocol=2025-11-25",
            "sent tools/list " + ids.get(1),
            "ok tools/list toolError=false",
            "turn 0",
            "turn ended usage=10/5 calls=1",
            "request tools/call tool=whoami protocol=2025-11-25",
            "sent tools/call " + ids.get(2),
            "ok tools/call toolError=false",
            "turn 1",
            "turn ended usage=10/5 calls=1",
            "request tools/call tool=add protocol=2025-11-25",
            "sent tools/call " + ids.get(3),
            "ok tools/call toolError=false",
            "turn 2",
            "turn ended usage=10/5 calls=0",
            "run finished usage=30/15",
            "session closed");
    // The observer's _meta entry went into the JSON-RPC request, not into a header.
    RecordedRequest add =
        server.requests().stream().filter(r -> r.isToolCall("add")).findFirst().get();
    assertThat(add.body()).contains("\"_meta\":{\"x-observed\":\"yes\"}");
    assertThat(add.header("x-observed")).isEmpty();
  }

  @Test
  void aToolboxRunIsObservedAsARunOfItsKindWithRequestsOnlyAndFinishedWhenClosed() {
    Recorder recorder = new Recorder();
    try (Runner runner =
        Runners.builder()
            .discoverObservers(false)
            .discoverHeaderProviders(false)
            .observer(recorder)
            .build()) {
      McpToolbox toolbox =
          runner.toolbox(
              "assistant", List.of(McpServerSpec.builder("tickets", server.url()).build()));
      try (ToolboxRun run =
          toolbox.open(
              RunOptions.builder()
                  .identity("alice")
                  .context(ContextKey.TENANT_ID, "acme")
                  .build())) {
        assertThat(run.call("add", "{\"a\":1,\"b\":2}").output()).isEqualTo("3");
        assertThat(recorder.events).noneMatch(e -> e.startsWith("run finished"));
      }
    }
    List<String> ids = observedRequestIds();
    assertThat(recorder.events)
        .containsExactly(
            "run assistant kind=TOOLBOX tenant=acme user=null",
            "request initialize tool=null protocol=null",
            "sent initialize " + ids.get(0),
            "ok initialize toolError=false",
            "session tickets",
            "request tools/list tool=null protocol=2025-11-25",
            "sent tools/list " + ids.get(1),
            "ok tools/list toolError=false",
            "request tools/call tool=add protocol=2025-11-25",
            "sent tools/call " + ids.get(2),
            "ok tools/call toolError=false",
            "run finished usage=0/0",
            "session closed");
    // The MCP SDK builds initialize; the observer's _meta entries still reach it.
    RecordedRequest initialize =
        server.requests().stream()
            .filter(r -> "initialize".equals(r.mcpMethod()))
            .findFirst()
            .get();
    assertThat(initialize.body()).contains("\"_meta\":{\"x-observed\":\"yes\"}");
  }

  @Test
  void anObserverThatThrowsEverywhereNeverFailsARun() {
    try (Runner runner =
        Runners.builder()
            .discoverObservers(false)
            .discoverHeaderProviders(false)
            .observer(new Throwing())
            .build()) {
      assertThat(runner.run(agent, "Add", RunOptions.builder().build()).finalOutput())
          .isEqualTo("done");
    }
  }

  /** Records every observation as a line of text. */
  private static final class Recorder implements RunObserver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public RunObservation runStarted(RunStart run) {
      events.add(
          "run "
              + run.agentName()
              + " kind="
              + run.kind()
              + " tenant="
              + run.tenantId()
              + " user="
              + run.userId());
      return new RunObservation() {
        @Override
        public ModelTurnObservation modelTurnStarted(int turn) {
          events.add("turn " + turn);
          return new ModelTurnObservation() {
            @Override
            public void turnFinished(Usage usage, int toolCalls) {
              events.add(
                  "turn ended usage="
                      + usage.inputTokens()
                      + "/"
                      + usage.outputTokens()
                      + " calls="
                      + toolCalls);
            }

            @Override
            public void turnFailed(Throwable error) {
              events.add("turn failed");
            }
          };
        }

        @Override
        public McpRequestObservation mcpRequestStarted(McpRequestStart request) {
          String method = request.method();
          events.add(
              "request "
                  + method
                  + " tool="
                  + request.toolName()
                  + " protocol="
                  + request.protocolVersion());
          return new McpRequestObservation() {
            @Override
            public Map<String, String> meta() {
              return Map.of("x-observed", "yes");
            }

            @Override
            public void requestSent(String jsonRpcId) {
              events.add("sent " + method + " " + method + "#" + jsonRpcId);
            }

            @Override
            public void requestSucceeded(boolean toolError) {
              events.add("ok " + method + " toolError=" + toolError);
            }

            @Override
            public void requestFailed(String errorType, @Nullable Integer jsonRpcErrorCode) {
              events.add("failed " + method + " " + errorType);
            }
          };
        }

        @Override
        public void runFinished(Usage usage) {
          events.add("run finished usage=" + usage.inputTokens() + "/" + usage.outputTokens());
        }

        @Override
        public void runFailed(Throwable error) {
          events.add("run failed " + error.getClass().getSimpleName());
        }
      };
    }

    @Override
    public McpSessionObservation sessionOpened(McpSessionStart session) {
      events.add("session " + session.serverName());
      return () -> events.add("session closed");
    }
  }

  /** Throws from every hook. */
  private static final class Throwing implements RunObserver {
    @Override
    public RunObservation runStarted(RunStart run) {
      return new RunObservation() {
        @Override
        public ModelTurnObservation modelTurnStarted(int turn) {
          throw new IllegalStateException("boom");
        }

        @Override
        public McpRequestObservation mcpRequestStarted(McpRequestStart request) {
          return new McpRequestObservation() {
            @Override
            public Map<String, String> meta() {
              throw new IllegalStateException("boom");
            }

            @Override
            public void requestSucceeded(boolean toolError) {
              throw new IllegalStateException("boom");
            }

            @Override
            public void requestFailed(String errorType, @Nullable Integer code) {
              throw new IllegalStateException("boom");
            }
          };
        }

        @Override
        public void runFinished(Usage usage) {
          throw new IllegalStateException("boom");
        }

        @Override
        public void runFailed(Throwable error) {
          throw new IllegalStateException("boom");
        }
      };
    }

    @Override
    public McpSessionObservation sessionOpened(McpSessionStart session) {
      throw new IllegalStateException("boom");
    }
  }

  /**
   * Returns {@code method#id} of every JSON-RPC request the server received that an observer sees:
   * the protocol probe (AUTO's {@code server/discover}, MCP 2026-07-28) is not observed.
   */
  private List<String> observedRequestIds() {
    return server.requests().stream()
        .filter(r -> r.jsonRpcId() != null && r.mcpMethod() != null)
        .filter(r -> !"server/discover".equals(r.mcpMethod()))
        .map(r -> r.mcpMethod() + "#" + r.jsonRpcId())
        .collect(Collectors.toList());
  }
}
