package io.github.mcprunner.testkit;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;

/** Builds the MCP SDK server of a mode and mounts its servlet. */
final class SdkServers {

  static final String MCP_PATH = "/mcp";
  static final String SSE_PATH = "/sse";
  static final String MESSAGE_PATH = "/message";

  private static final String CONTEXT_KEY = "io.github.mcprunner.testkit.call";
  private static final String SERVER_NAME = "mcp-runner-embedded-server";
  private static final String SERVER_VERSION = "1.0.0";

  /** What a tool call's HTTP request carried; stored in the SDK's transport context. */
  private record HttpCall(Map<String, List<String>> headers, @Nullable String sessionId) {}

  private SdkServers() {}

  /**
   * A mounted SDK server: what closes it, what adds a tool at run time, and what tells its clients
   * the tool list changed.
   */
  record Mounted(
      Runnable closer, java.util.function.Consumer<ToolSpec> toolAdder, Runnable toolsChanged) {}

  /**
   * Builds the SDK server for {@code mode} with {@code tools}, mounts its servlet(s) on {@code
   * context}, and returns what closes it and adds tools to it.
   */
  // The SDK deprecates its legacy HTTP+SSE server transport; SSE mode exists to test that protocol.
  @SuppressWarnings("deprecation")
  static Mounted mount(
      EmbeddedMcpServer.Mode mode,
      List<ToolSpec> tools,
      McpJsonMapper jsonMapper,
      ServletContextHandler context,
      EmbeddedMcpServer.ModernOptions modern) {
    McpSchema.ServerCapabilities capabilities =
        McpSchema.ServerCapabilities.builder().tools(true).logging().build();
    switch (mode) {
      case STATEFUL -> {
        HttpServletStreamableServerTransportProvider transport =
            HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .mcpEndpoint(MCP_PATH)
                .contextExtractor(extractor(mode))
                .build();
        McpSyncServer server =
            McpServer.sync(transport)
                .jsonMapper(jsonMapper)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities)
                // Bounds a question to the client (elicitation) the way a tool call is bounded.
                .requestTimeout(java.time.Duration.ofSeconds(60))
                // Tools run on Jetty's request thread (up to 200), not on Reactor's bounded elastic
                // pool (10 per core): a tool waiting for the client's answer holds its thread, and
                // many users' calls waiting at once must not starve the others.
                .immediateExecution(true)
                .tools(sessionTools(tools, jsonMapper))
                .build();
        addServlet(context, transport, MCP_PATH);
        return new Mounted(
            server::closeGracefully,
            tool -> addTool(server, tool, jsonMapper),
            server::notifyToolsListChanged);
      }
      case STATELESS -> {
        HttpServletStatelessServerTransport transport =
            HttpServletStatelessServerTransport.builder()
                .jsonMapper(jsonMapper)
                .messageEndpoint(MCP_PATH)
                .contextExtractor(extractor(mode))
                .build();
        McpStatelessSyncServer server =
            McpServer.sync(transport)
                .jsonMapper(jsonMapper)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities)
                .tools(statelessTools(tools, jsonMapper))
                .build();
        addServlet(context, transport, MCP_PATH);
        // A stateless server has no channel to notify its clients on.
        return new Mounted(
            server::closeGracefully,
            tool -> server.addTool(statelessTools(List.of(tool), jsonMapper).get(0)),
            () -> {});
      }
      case SSE -> {
        HttpServletSseServerTransportProvider transport =
            HttpServletSseServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .sseEndpoint(SSE_PATH)
                .messageEndpoint(MESSAGE_PATH)
                .contextExtractor(extractor(mode))
                .build();
        McpSyncServer server =
            McpServer.sync(transport)
                .jsonMapper(jsonMapper)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities)
                // Bounds a question to the client (elicitation) the way a tool call is bounded.
                .requestTimeout(java.time.Duration.ofSeconds(60))
                // Tools run on Jetty's request thread (up to 200), not on Reactor's bounded elastic
                // pool (10 per core): a tool waiting for the client's answer holds its thread, and
                // many users' calls waiting at once must not starve the others.
                .immediateExecution(true)
                .tools(sessionTools(tools, jsonMapper))
                .build();
        addServlet(context, transport, SSE_PATH, MESSAGE_PATH);
        return new Mounted(
            server::closeGracefully,
            tool -> addTool(server, tool, jsonMapper),
            server::notifyToolsListChanged);
      }
      case MODERN -> {
        ModernServers.Mounted server =
            ModernServers.create(
                tools, modern.extraTools(), jsonMapper, modern.listTtlMs(), modern.listPublic());
        addServlet(context, server.servlet(), MCP_PATH);
        // MCP 2026-07-28 has no channel to notify a client on but subscriptions/listen.
        return new Mounted(server.closer(), server.adder(), () -> {});
      }
      case DUAL -> {
        ModernServers.Mounted modernServer =
            ModernServers.create(
                tools, modern.extraTools(), jsonMapper, modern.listTtlMs(), modern.listPublic());
        HttpServletStreamableServerTransportProvider transport =
            HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper)
                .mcpEndpoint(MCP_PATH)
                .contextExtractor(extractor(EmbeddedMcpServer.Mode.STATEFUL))
                .build();
        McpSyncServer server =
            McpServer.sync(transport)
                .jsonMapper(jsonMapper)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities)
                .tools(sessionTools(tools, jsonMapper))
                .build();
        addServlet(
            context, new ModernServers.DualServlet(modernServer.servlet(), transport), MCP_PATH);
        return new Mounted(
            () -> {
              modernServer.closer().run();
              server.closeGracefully();
            },
            tool -> {
              modernServer.adder().accept(tool);
              addTool(server, tool, jsonMapper);
            },
            server::notifyToolsListChanged);
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /** Adds a tool and tells every connected client that the tool list changed. */
  private static void addTool(McpSyncServer server, ToolSpec tool, McpJsonMapper jsonMapper) {
    server.addTool(sessionTools(List.of(tool), jsonMapper).get(0));
    server.notifyToolsListChanged();
  }

  private static void addServlet(
      ServletContextHandler context, HttpServlet servlet, String... paths) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    for (String path : paths) {
      context.addServlet(holder, path);
    }
  }

  private static McpTransportContextExtractor<HttpServletRequest> extractor(
      EmbeddedMcpServer.Mode mode) {
    return request -> {
      String sessionId =
          switch (mode) {
            case STATEFUL, DUAL -> request.getHeader(RecordingFilter.SESSION_HEADER);
            case SSE -> RecordingFilter.queryParameter(request.getQueryString(), "sessionId");
            case STATELESS, MODERN -> null;
          };
      return McpTransportContext.create(
          Map.of(CONTEXT_KEY, new HttpCall(RecordingFilter.headersOf(request), sessionId)));
    };
  }

  private static HttpCall callOf(@Nullable McpTransportContext context) {
    Object call = context == null ? null : context.get(CONTEXT_KEY);
    return call instanceof HttpCall httpCall ? httpCall : new HttpCall(Map.of(), null);
  }

  private static McpSchema.Tool toolOf(ToolSpec spec, McpJsonMapper jsonMapper) {
    return McpSchema.Tool.builder(spec.name(), jsonMapper, spec.inputSchemaJson())
        .description(spec.description())
        .build();
  }

  private static List<McpServerFeatures.SyncToolSpecification> sessionTools(
      List<ToolSpec> tools, McpJsonMapper jsonMapper) {
    List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (ToolSpec tool : tools) {
      specs.add(
          McpServerFeatures.SyncToolSpecification.builder()
              .tool(toolOf(tool, jsonMapper))
              .callHandler(
                  (exchange, call) -> {
                    HttpCall http = callOf(exchange.transportContext());
                    ToolRequest request =
                        new ToolRequest(
                            http.headers(), http.sessionId(), notifier(exchange, call, jsonMapper));
                    return invoke(tool, call, request);
                  })
              .build());
    }
    return specs;
  }

  private static List<McpStatelessServerFeatures.SyncToolSpecification> statelessTools(
      List<ToolSpec> tools, McpJsonMapper jsonMapper) {
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (ToolSpec tool : tools) {
      specs.add(
          McpStatelessServerFeatures.SyncToolSpecification.builder()
              .tool(toolOf(tool, jsonMapper))
              .callHandler(
                  (context, call) -> {
                    HttpCall http = callOf(context);
                    return invoke(
                        tool,
                        call,
                        new ToolRequest(http.headers(), http.sessionId(), CallNotifier.NONE));
                  })
              .build());
    }
    return specs;
  }

  private static McpSchema.CallToolResult invoke(
      ToolSpec tool, McpSchema.CallToolRequest call, ToolRequest request) {
    Map<String, Object> args = call.arguments() == null ? Map.of() : call.arguments();
    try {
      String text = tool.handler().call(args, request);
      return McpSchema.CallToolResult.builder()
          .addTextContent(text == null ? "" : text)
          .isError(false)
          .build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
  }

  private static CallNotifier notifier(
      McpSyncServerExchange exchange, McpSchema.CallToolRequest call, McpJsonMapper jsonMapper) {
    Object progressToken = call.meta() == null ? null : call.meta().get("progressToken");
    return new CallNotifier() {
      @Override
      public void log(String message) {
        exchange.loggingNotification(
            new McpSchema.LoggingMessageNotification(
                McpSchema.LoggingLevel.INFO, SERVER_NAME, message));
      }

      @Override
      public boolean progress(double progress, double total, String message) {
        if (progressToken == null) {
          return false;
        }
        exchange.progressNotification(
            McpSchema.ProgressNotification.builder(progressToken, progress)
                .total(total)
                .message(message)
                .build());
        return true;
      }

      @Override
      public ToolRequest.Elicited elicit(Map<String, Object> request) {
        String message = (String) request.get("message");
        McpSchema.ElicitRequest elicit;
        if ("url".equals(request.get("mode"))) {
          elicit =
              new McpSchema.ElicitUrlRequest(
                  message,
                  (String) request.get("url"),
                  (String) request.get("elicitationId"),
                  null);
        } else {
          Map<String, Object> schema;
          try {
            schema =
                jsonMapper.readValue(
                    (String) request.get("requestedSchema"),
                    new io.modelcontextprotocol.json.TypeRef<Map<String, Object>>() {});
          } catch (java.io.IOException e) {
            throw new IllegalArgumentException("requestedSchemaJson is not a JSON object", e);
          }
          elicit = new McpSchema.ElicitFormRequest(message, schema, null);
        }
        McpSchema.ElicitResult result = exchange.createElicitation(elicit);
        return new ToolRequest.Elicited(
            result.action().name().toLowerCase(java.util.Locale.ROOT),
            result.content() == null ? Map.of() : result.content());
      }
    };
  }
}
