package io.github.mcprunner.testkit;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The MCP SDK 2.2.0's own server for MCP 2026-07-28 ({@code io.modelcontextprotocol.modern}) with
 * the embedded server's tools, and the servlet that serves both revisions on one endpoint (a POST
 * whose {@code MCP-Protocol-Version} is 2026-07-28 goes to the modern server, everything else to
 * the session server).
 */
final class ModernServers {

  static final String VERSION = "2026-07-28";
  private static final String CONTEXT_KEY = "io.github.mcprunner.testkit.modern-call";
  private static final String SERVER_NAME = "mcp-runner-embedded-server";
  private static final String SERVER_VERSION = "1.0.0";

  /** The tool whose {@code region} argument is mirrored into {@code Mcp-Param-Region}. */
  static final String REGION_TOOL = "region_echo";

  private static final String REGION_SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
          + "\"query\":{\"type\":\"string\"}},\"required\":[\"region\"]}";

  /** The tool that asks for a confirmation with {@code input_required} first. */
  static final String CONFIRM_TOOL = "confirm";

  private static final String CONFIRM_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"action\":{\"type\":\"string\"}}}";

  /** The tool that asks for input {@code count} times, one {@code input_required} round each. */
  static final String CONFIRM_N_TOOL = "confirm_n";

  private static final String CONFIRM_N_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"}},"
          + "\"required\":[\"count\"]}";

  private ModernServers() {}

  /** What a modern call's HTTP request carried. */
  private record HttpCall(Map<String, List<String>> headers) {}

  /** The servlet of the modern server and what adds a tool to it at run time. */
  record Mounted(
      HttpServlet servlet, Runnable closer, java.util.function.Consumer<ToolSpec> adder) {}

  static Mounted create(
      List<ToolSpec> tools,
      boolean extraTools,
      McpJsonMapper jsonMapper,
      long listTtlMs,
      boolean listPublic) {
    List<McpSyncTool> all = new CopyOnWriteArrayList<>();
    for (ToolSpec tool : tools) {
      // The session servers' default 'confirm' asks through the session (elicitation/create); on
      // this server the multi round-trip 'confirm' below takes its name.
      if (extraTools && CONFIRM_TOOL.equals(tool.name())) {
        continue;
      }
      all.add(tool(tool, jsonMapper));
    }
    if (extraTools) {
      all.add(
          tool(
              new ToolSpec(
                  REGION_TOOL,
                  "Echoes its region argument and the Mcp-Param-Region header it arrived with",
                  REGION_SCHEMA,
                  (args, request) ->
                      "region="
                          + args.get("region")
                          + " header="
                          + request.header("Mcp-Param-Region").orElse("(none)")),
              jsonMapper));
      all.add(confirmTool(jsonMapper));
      all.add(confirmNTool(jsonMapper));
    }
    McpSchema.CacheScope scope =
        listPublic ? McpSchema.CacheScope.PUBLIC : McpSchema.CacheScope.PRIVATE;
    McpSyncToolRepository repository =
        new McpSyncToolRepository() {
          @Override
          public ToolsPage list(McpRequestContext context, @Nullable String cursor) {
            List<McpSchema.Tool> definitions = new ArrayList<>();
            all.forEach(tool -> definitions.add(tool.definition()));
            return new ToolsPage(definitions, null, listTtlMs, scope);
          }

          @Override
          public @Nullable McpSyncTool find(McpRequestContext context, String name) {
            for (McpSyncTool tool : all) {
              if (tool.definition().name().equals(name)) {
                return tool;
              }
            }
            return null;
          }
        };
    McpServer server =
        McpServer.builder()
            .serverInfo(McpSchema.Implementation.builder(SERVER_NAME, SERVER_VERSION).build())
            .jsonMapper(jsonMapper)
            .feature(ToolsFeature.ofSync(repository))
            .build();
    HttpServletMcpTransport transport =
        HttpServletMcpTransport.builder(server)
            .jsonMapper(jsonMapper)
            .endpoint(SdkServers.MCP_PATH)
            .contextExtractor(
                request ->
                    McpTransportContext.create(
                        Map.of(CONTEXT_KEY, new HttpCall(RecordingFilter.headersOf(request)))))
            .build();
    return new Mounted(
        transport,
        () -> {
          transport.closeGracefully();
          server.closeGracefully();
        },
        tool -> all.add(tool(tool, jsonMapper)));
  }

  private static McpSyncTool tool(ToolSpec spec, McpJsonMapper jsonMapper) {
    McpSchema.Tool definition =
        McpSchema.Tool.builder(spec.name(), jsonMapper, spec.inputSchemaJson())
            .description(spec.description())
            .build();
    return McpSyncTool.of(
        definition,
        (context, call) -> {
          Map<String, Object> args = call.arguments() == null ? Map.of() : call.arguments();
          ToolRequest request = new ToolRequest(headersOf(context), null, CallNotifier.NONE);
          String text;
          boolean error = false;
          try {
            text = spec.handler().call(args, request);
          } catch (Exception e) {
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            error = true;
          }
          return McpSyncResponse.result(
              McpSchema.CallToolResult.builder()
                  .addContent(McpSchema.TextContent.builder(text == null ? "" : text).build())
                  .isError(error)
                  .build());
        });
  }

  /**
   * {@code confirm {action?}}: without input responses, answers {@code input_required} with a form
   * elicitation {@code "confirm"} and request state {@code "confirm:<action>"}; on the retry,
   * answers {@code "<elicitation action> <action> (state <requestState>)"}, e.g. {@code "decline
   * deploy (state confirm:deploy)"}.
   */
  private static McpSyncTool confirmTool(McpJsonMapper jsonMapper) {
    McpSchema.Tool definition =
        McpSchema.Tool.builder(CONFIRM_TOOL, jsonMapper, CONFIRM_SCHEMA)
            .description("Asks the user to confirm an action (multi round-trip)")
            .build();
    return McpSyncTool.of(
        definition,
        (context, call) -> {
          Object action = call.arguments() == null ? null : call.arguments().get("action");
          Map<String, Object> responses = call.inputResponses();
          if (responses == null || !responses.containsKey("confirm")) {
            return askToConfirm("Proceed with " + action + "?", "confirm:" + action);
          }
          Object answer = responses.get("confirm");
          Object chosen = answer instanceof Map<?, ?> ? ((Map<?, ?>) answer).get("action") : answer;
          return McpSyncResponse.result(
              McpSchema.CallToolResult.builder()
                  .addContent(
                      McpSchema.TextContent.builder(
                              chosen + " " + action + " (state " + call.requestState() + ")")
                          .build())
                  .isError(false)
                  .build());
        });
  }

  /**
   * {@code confirm_n {count}}: asks for a form elicitation {@code "confirm"} with {@code
   * input_required} until it got {@code count} answers, counting them in its request state ({@code
   * "asked:<k>"}); then answers {@code "confirmed <count> times"}. A call with count {@code n} thus
   * takes {@code n + 1} requests.
   */
  private static McpSyncTool confirmNTool(McpJsonMapper jsonMapper) {
    McpSchema.Tool definition =
        McpSchema.Tool.builder(CONFIRM_N_TOOL, jsonMapper, CONFIRM_N_SCHEMA)
            .description("Asks the user for input count times (multi round-trip)")
            .build();
    return McpSyncTool.of(
        definition,
        (context, call) -> {
          Object count = call.arguments() == null ? null : call.arguments().get("count");
          int wanted = count instanceof Number ? ((Number) count).intValue() : 0;
          String state = call.requestState();
          int answered =
              state != null
                      && state.startsWith("asked:")
                      && call.inputResponses() != null
                      && call.inputResponses().containsKey("confirm")
                  ? Integer.parseInt(state.substring("asked:".length()))
                  : 0;
          if (answered < wanted) {
            return askToConfirm(
                "Confirmation " + (answered + 1) + " of " + wanted + "?",
                "asked:" + (answered + 1));
          }
          return McpSyncResponse.result(
              McpSchema.CallToolResult.builder()
                  .addContent(
                      McpSchema.TextContent.builder("confirmed " + wanted + " times").build())
                  .isError(false)
                  .build());
        });
  }

  /**
   * Answers {@code input_required} with one form elicitation {@code "confirm"} (a boolean {@code
   * ok}) asking {@code message}, and {@code state} as the request state.
   */
  private static McpSyncResponse askToConfirm(String message, String state) {
    Map<String, Object> schema =
        Map.of("type", "object", "properties", Map.of("ok", Map.of("type", "boolean")));
    return McpSyncResponse.result(
        McpSchema.InputRequiredResult.builder()
            .elicit("confirm", McpSchema.ElicitFormRequest.builder(message, schema).build())
            .requestState(state)
            .build());
  }

  private static Map<String, List<String>> headersOf(McpRequestContext context) {
    McpTransportContext transport = context.transportContext();
    Object call = transport == null ? null : transport.get(CONTEXT_KEY);
    return call instanceof HttpCall http ? http.headers() : Map.of();
  }

  /**
   * Serves both revisions on one endpoint: a POST with {@code MCP-Protocol-Version: 2026-07-28}
   * goes to the modern server; every other request (an {@code initialize}, a request of a session,
   * GET, DELETE) to the session server.
   */
  static final class DualServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HttpServlet modern;
    private final transient HttpServlet sessions;

    DualServlet(HttpServlet modern, HttpServlet sessions) {
      this.modern = modern;
      this.sessions = sessions;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
      super.init(config);
      modern.init(config);
      sessions.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      boolean isModern =
          "POST".equalsIgnoreCase(request.getMethod())
              && VERSION.equals(request.getHeader("MCP-Protocol-Version"));
      (isModern ? modern : sessions).service(request, response);
    }

    @Override
    public void destroy() {
      modern.destroy();
      sessions.destroy();
      super.destroy();
    }
  }
}
