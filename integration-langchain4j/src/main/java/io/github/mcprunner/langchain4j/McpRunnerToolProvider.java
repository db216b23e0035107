package io.github.mcprunner.langchain4j;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import io.github.mcprunner.McpTool;
import io.github.mcprunner.McpToolbox;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.ToolOutcome;
import io.github.mcprunner.ToolboxRun;
import io.github.mcprunner.langchain4j.internal.ToolSchemas;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link ToolProvider} whose tools are the tools of an mcp-runner {@link McpToolbox},
 * listed and called <em>per user</em>: each AI service invocation is mapped to {@link RunOptions}
 * (identity, per-run headers, context values for header providers), so two users chatting through
 * one {@code AiServices} instance reach the MCP servers each with their own headers and their own
 * sessions.
 *
 * <pre>{@code
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(chatModel)
 *     .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(20))
 *     .toolProvider(McpRunnerToolProvider.builder(runner.toolbox("assistant", servers))
 *         .runOptions(context -> optionsOfUser(context.chatMemoryId()))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>By default the chat memory id is the run's identity (headers then come from the runner's
 * header providers). An invocation without a memory id of its own (LangChain4j's {@code "default"}
 * id, when the AI service method has no {@code @MemoryId}) is refused rather than served with a
 * session others would share.
 *
 * <p>Each listing and each tool call is one short {@link ToolboxRun}: sessions stay pooled in the
 * runner (per identity, by default), and the tool list is cached by the session, so a call costs
 * one {@code tools/call} request. Thread-safe.
 */
public final class McpRunnerToolProvider implements ToolProvider {
  /** LangChain4j's memory id of an invocation that names none. */
  private static final String DEFAULT_MEMORY_ID = "default";

  private final McpToolbox toolbox;
  private final Function<InvocationContext, RunOptions> runOptions;

  private McpRunnerToolProvider(Builder builder) {
    this.toolbox = builder.toolbox;
    this.runOptions = builder.runOptions;
  }

  /** Returns a provider of {@code toolbox}'s tools, the chat memory id as the run's identity. */
  public static McpRunnerToolProvider of(McpToolbox toolbox) {
    return builder(toolbox).build();
  }

  /** Returns a builder of a provider of {@code toolbox}'s tools. */
  public static Builder builder(McpToolbox toolbox) {
    return new Builder(requireNonNull(toolbox, "toolbox"));
  }

  /**
   * Returns the run options of the default mapping: the chat memory id as identity.
   *
   * @throws IllegalStateException if the invocation has no memory id of its own
   */
  public static RunOptions identityOfMemoryId(InvocationContext context) {
    return RunOptions.builder().identity(memoryId(context)).build();
  }

  /**
   * Returns the chat memory id of {@code context} as text.
   *
   * @throws IllegalStateException if the invocation has no memory id of its own (none, or
   *     LangChain4j's {@code "default"})
   */
  public static String memoryId(InvocationContext context) {
    Object id = context.chatMemoryId();
    String text = id == null ? "" : id.toString();
    if (text.isEmpty() || DEFAULT_MEMORY_ID.equals(text)) {
      throw new IllegalStateException(
          "the AI service invocation has no chat memory id, so it names no user: give the"
              + " service method a @MemoryId parameter, or map the invocation to RunOptions with"
              + " McpRunnerToolProvider.Builder.runOptions");
    }
    return text;
  }

  /**
   * Lists the toolbox's tools for the invocation's run options.
   *
   * @throws IllegalStateException if the default mapping finds no memory id
   * @throws io.github.mcprunner.McpRunnerException if a server could not be reached or refused
   * @throws LangChain4jModelException if a tool's schema cannot be expressed in LangChain4j
   */
  @Override
  public ToolProviderResult provideTools(ToolProviderRequest request) {
    RunOptions options =
        requireNonNull(
            runOptions.apply(request.invocationContext()), "runOptions mapping returned null");
    List<McpTool> tools;
    try (ToolboxRun run = toolbox.open(options)) {
      tools = run.tools();
    }
    ToolProviderResult.Builder result = ToolProviderResult.builder();
    for (McpTool tool : tools) {
      result.add(ToolSchemas.toSpecification(tool.definition()), new McpToolExecutor(options));
    }
    return result.build();
  }

  /** Calls a tool through a run of the toolbox with the options of the invocation it serves. */
  private final class McpToolExecutor implements ToolExecutor {
    private final RunOptions options;

    McpToolExecutor(RunOptions options) {
      this.options = options;
    }

    @Override
    public String execute(ToolExecutionRequest request, @Nullable Object memoryId) {
      return call(request).output();
    }

    @Override
    public ToolExecutionResult executeWithContext(
        ToolExecutionRequest request, @Nullable InvocationContext context) {
      ToolOutcome outcome = call(request);
      return ToolExecutionResult.builder()
          .resultText(outcome.output())
          .isError(outcome.error())
          .build();
    }

    private ToolOutcome call(ToolExecutionRequest request) {
      String arguments = request.arguments();
      try (ToolboxRun run = toolbox.open(options)) {
        return run.call(request.name(), arguments == null ? "" : arguments);
      }
    }
  }

  /** Builds a {@link McpRunnerToolProvider}. Not thread-safe. */
  public static final class Builder {
    private final McpToolbox toolbox;
    private Function<InvocationContext, RunOptions> runOptions =
        McpRunnerToolProvider::identityOfMemoryId;

    private Builder(McpToolbox toolbox) {
      this.toolbox = toolbox;
    }

    /**
     * Sets how an AI service invocation becomes run options: its identity, per-run headers and
     * context values. Called once per invocation, on the invocation's thread; throw to refuse it.
     * The default is {@link McpRunnerToolProvider#identityOfMemoryId}; {@link
     * McpRunnerToolProvider#memoryId} gives the memory id, refusing an invocation without one.
     */
    public Builder runOptions(Function<InvocationContext, RunOptions> runOptions) {
      this.runOptions = requireNonNull(runOptions, "runOptions");
      return this;
    }

    /** Returns the provider. */
    public McpRunnerToolProvider build() {
      return new McpRunnerToolProvider(this);
    }
  }
}
