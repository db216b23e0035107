package io.github.mcprunner.spring;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.McpTool;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * A Spring AI {@link ToolCallbackProvider} whose callbacks list and call the tools of an mcp-runner
 * {@link McpToolbox}, per user: every call runs with the {@link RunOptions} of the request it
 * serves, so a {@code ChatClient} used by many users sends each user's headers, identity and
 * session on every MCP request.
 *
 * <p>A call's options are those in its {@link ToolContext} under {@link #RUN_OPTIONS}, if any, else
 * those of {@link CurrentRunOptions} (with Spring Security: the signed-in user of the calling
 * thread). Tools are listed the same way when {@link #getToolCallbacks()} is called.
 *
 * <pre>{@code
 * String answer = chatClient.prompt("Summarise my open tickets")
 *     .toolCallbacks(mcpTools) // this provider
 *     .toolContext(Map.of(McpRunnerToolCallbackProvider.RUN_OPTIONS, options)) // optional
 *     .call()
 *     .content();
 * }</pre>
 *
 * <p>Each listing and each call is one short {@link ToolboxRun}: sessions stay pooled in the
 * runner. A tool's error (the tool failed, the arguments were refused) is thrown as Spring AI's
 * {@link ToolExecutionException}, which Spring AI hands the model as the tool's result; a failure
 * to reach a server is thrown as is. Thread-safe.
 */
public final class McpRunnerToolCallbackProvider implements ToolCallbackProvider {

  /** The {@link ToolContext} key of a call's {@link RunOptions}. */
  public static final String RUN_OPTIONS = "mcp-runner.run-options";

  private final McpToolbox toolbox;
  private final CurrentRunOptions currentRunOptions;

  /** Returns a provider of {@code toolbox}'s tools, options from {@code currentRunOptions}. */
  public McpRunnerToolCallbackProvider(McpToolbox toolbox, CurrentRunOptions currentRunOptions) {
    this.toolbox = requireNonNull(toolbox, "toolbox");
    this.currentRunOptions = requireNonNull(currentRunOptions, "currentRunOptions");
  }

  /**
   * Lists the toolbox's tools with the current request's options ({@code tools/list} on first use
   * of a session, then from the session's cache).
   *
   * @throws io.github.mcprunner.McpRunnerException if a server could not be reached or refused
   */
  @Override
  public ToolCallback[] getToolCallbacks() {
    List<McpTool> tools;
    try (ToolboxRun run = toolbox.open(currentOptions())) {
      tools = run.tools();
    }
    return tools.stream().map(McpToolCallback::new).toArray(ToolCallback[]::new);
  }

  private RunOptions currentOptions() {
    return requireNonNull(currentRunOptions.get(), "CurrentRunOptions returned null");
  }

  private RunOptions options(@Nullable ToolContext context) {
    if (context != null) {
      Object options = context.getContext().get(RUN_OPTIONS);
      if (options instanceof RunOptions given) {
        return given;
      }
      if (options != null) {
        throw new IllegalArgumentException(
            "ToolContext entry '" + RUN_OPTIONS + "' must be a RunOptions");
      }
    }
    return currentOptions();
  }

  /** One MCP tool as a Spring AI tool callback. */
  private final class McpToolCallback implements ToolCallback {
    private final ToolDefinition definition;

    McpToolCallback(McpTool tool) {
      this.definition =
          ToolDefinition.builder()
              .name(tool.name())
              .description(tool.definition().description())
              .inputSchema(tool.definition().inputSchemaJson())
              .build();
    }

    @Override
    public ToolDefinition getToolDefinition() {
      return definition;
    }

    @Override
    public String call(String toolInput) {
      return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, @Nullable ToolContext toolContext) {
      ToolOutcome outcome;
      try (ToolboxRun run = toolbox.open(options(toolContext))) {
        outcome = run.call(definition.name(), toolInput == null ? "" : toolInput);
      }
      if (outcome.error()) {
        throw new ToolExecutionException(definition, new McpToolErrorException(outcome.output()));
      }
      return outcome.output();
    }
  }

  /** A tool's error outcome, whose message Spring AI gives the model. */
  private static final class McpToolErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    McpToolErrorException(String output) {
      super(output, null, false, false);
    }
  }
}
