package io.github.mcprunner.conformance;

import static java.util.Objects.requireNonNullElse;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpRunnerException;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.RunnerBuilder;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one conformance scenario: {@code java -jar mcp-runner-conformance.jar [--transport
 * httpclient|okhttp] <server-url>}, with the scenario in {@code MCP_CONFORMANCE_SCENARIO} and its
 * settings in {@code MCP_CONFORMANCE_CONTEXT} (the suite appends the URL and sets both).
 *
 * <p>It does what a service built on mcp-runner does: one agent with one MCP server, the header
 * providers the scenario calls for ({@link Scenarios}), one run. The agent's model calls every tool
 * the server lists once ({@link ToolCallingModel}), so a run initializes, lists tools, calls them
 * and closes the session. Exit status: 0 when the run completed and no tool failed, 1 when it
 * failed, 2 for bad arguments.
 */
public final class ConformanceClient {
  static final Set<String> TRANSPORTS = Set.of("httpclient", "okhttp");

  private ConformanceClient() {}

  /** Runs the scenario named in the environment against the URL in {@code args}. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    String transport = "httpclient";
    String url = null;
    for (int i = 0; i < args.length; i++) {
      if ("--transport".equals(args[i]) && i + 1 < args.length) {
        transport = args[++i];
      } else if (args[i].startsWith("--")) {
        return usage(err, "unknown option " + args[i]);
      } else if (url == null) {
        url = args[i];
      } else {
        return usage(err, "more than one server URL");
      }
    }
    if (url == null) {
      return usage(err, "no server URL");
    }
    if (!TRANSPORTS.contains(transport)) {
      return usage(err, "unknown transport '" + transport + "'");
    }
    URI server;
    try {
      server = URI.create(url);
    } catch (IllegalArgumentException e) {
      return usage(err, "the server URL is not a URI");
    }
    McpJsonMapper json = McpJsonDefaults.getMapper();
    ScenarioContext context;
    Scenarios.Setup setup;
    try {
      context = ScenarioContext.fromEnvironment(environment, json);
      setup = Scenarios.setupFor(context, server);
    } catch (IllegalArgumentException e) {
      return usage(err, requireNonNullElse(e.getMessage(), "the scenario context is invalid"));
    }
    err.println(
        "mcp-runner conformance client: scenario '"
            + context.scenario()
            + "' over "
            + transport
            + " ("
            + setup.description()
            + ")");
    Agent agent =
        Agent.builder("conformance")
            .instructions("Call every tool the server offers once.")
            .model(new ToolCallingModel(json))
            .mcpServer(
                McpServerSpec.builder("server", server.toString())
                    .transport(transport)
                    .requestTimeout(Duration.ofSeconds(20))
                    .build())
            .maxTurns(3)
            .build();
    RunnerBuilder builder = Runners.builder().discoverHeaderProviders(false);
    for (McpHeaderProvider provider : setup.providers()) {
      builder.headerProvider(provider);
    }
    try (Runner runner = builder.build()) {
      RunResult result = runner.run(agent, "Call every tool once.", setup.options());
      boolean failed = false;
      for (RunItem.ToolResultItem tool : result.toolResults()) {
        out.println(
            (tool.error() ? "tool failed: " : "tool: ") + tool.toolName() + " -> " + tool.output());
        failed |= tool.error();
      }
      out.println("final output: " + result.finalOutput());
      return failed ? 1 : 0;
    } catch (McpRunnerException e) {
      err.println("run failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    } finally {
      for (McpHeaderProvider provider : setup.providers()) {
        if (provider instanceof AutoCloseable) {
          try {
            ((AutoCloseable) provider).close();
          } catch (Exception e) {
            err.println("closing header provider '" + provider.name() + "' failed");
          }
        }
      }
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("mcp-runner conformance client: " + problem);
    err.println(
        "usage: MCP_CONFORMANCE_SCENARIO=<scenario> java -jar mcp-runner-conformance.jar"
            + " [--transport "
            + String.join("|", List.copyOf(new java.util.TreeSet<>(TRANSPORTS)))
            + "] <server-url>");
    return 2;
  }
}
