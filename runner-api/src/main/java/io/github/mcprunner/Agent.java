package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.model.Model;
import io.github.mcprunner.model.ModelSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An agent: a name, instructions, a {@link Model}, the MCP servers whose tools it uses, local
 * function tools and a bound on turns. Immutable and thread-safe: one agent serves every run and
 * every user; what differs per run goes in {@link RunOptions}.
 *
 * <pre>{@code
 * Agent agent = Agent.builder("support")
 *     .instructions("Answer from the ticket system.")
 *     .model(model)
 *     .mcpServer(McpServerSpec.builder("tickets", "https://tickets.example.com/mcp").build())
 *     .build();
 * }</pre>
 */
public final class Agent {

  /** The default bound on model turns per run. */
  public static final int DEFAULT_MAX_TURNS = 10;

  private final String name;
  private final String instructions;
  private final Model model;
  private final List<McpServerSpec> mcpServers;
  private final List<FunctionTool> functionTools;
  private final int maxTurns;
  private final ModelSettings modelSettings;

  private Agent(Builder b) {
    this.name = b.name;
    this.instructions = b.instructions;
    this.model =
        requireNonNull(b.model, () -> "agent '" + b.name + "' has no model: call model(...)");
    this.mcpServers = List.copyOf(b.mcpServers);
    this.functionTools = List.copyOf(b.functionTools);
    this.maxTurns = b.maxTurns;
    this.modelSettings = b.modelSettings;
  }

  /** Returns a builder for an agent named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns the agent's name. */
  public String name() {
    return name;
  }

  /** Returns the instructions (system prompt). */
  public String instructions() {
    return instructions;
  }

  /** Returns the model. */
  public Model model() {
    return model;
  }

  /** Returns the MCP servers, in the order given. */
  public List<McpServerSpec> mcpServers() {
    return mcpServers;
  }

  /** Returns the MCP server named {@code name}, if the agent has one. */
  public Optional<McpServerSpec> mcpServer(String name) {
    for (McpServerSpec server : mcpServers) {
      if (server.name().equals(name)) {
        return Optional.of(server);
      }
    }
    return Optional.empty();
  }

  /** Returns the local function tools. */
  public List<FunctionTool> functionTools() {
    return functionTools;
  }

  /** Returns the most model turns a run may take. */
  public int maxTurns() {
    return maxTurns;
  }

  /** Returns the model settings. */
  public ModelSettings modelSettings() {
    return modelSettings;
  }

  /** Returns a builder holding this agent's settings. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.instructions = instructions;
    b.model = model;
    b.mcpServers.addAll(mcpServers);
    b.functionTools.addAll(functionTools);
    b.maxTurns = maxTurns;
    b.modelSettings = modelSettings;
    return b;
  }

  @Override
  public String toString() {
    List<String> servers = new ArrayList<>();
    for (McpServerSpec server : mcpServers) {
      servers.add(server.name());
    }
    return "Agent{name=" + name + ", mcpServers=" + servers + ", maxTurns=" + maxTurns + "}";
  }

  /** Builds an {@link Agent}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String instructions = "";
    private @Nullable Model model;
    private final List<McpServerSpec> mcpServers = new ArrayList<>();
    private final List<FunctionTool> functionTools = new ArrayList<>();
    private int maxTurns = DEFAULT_MAX_TURNS;
    private ModelSettings modelSettings = ModelSettings.defaults();

    private Builder(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("agent name must not be blank");
      }
      this.name = name;
    }

    /** Sets the instructions (system prompt). */
    public Builder instructions(String instructions) {
      this.instructions = requireNonNull(instructions, "instructions");
      return this;
    }

    /** Sets the model; required. */
    public Builder model(Model model) {
      this.model = requireNonNull(model, "model");
      return this;
    }

    /**
     * Adds an MCP server.
     *
     * @throws IllegalArgumentException if the agent already has a server of that name
     */
    public Builder mcpServer(McpServerSpec server) {
      requireNonNull(server, "server");
      for (McpServerSpec existing : mcpServers) {
        if (existing.name().equals(server.name())) {
          throw new IllegalArgumentException(
              "agent '" + name + "' already has an MCP server named '" + server.name() + "'");
        }
      }
      mcpServers.add(server);
      return this;
    }

    /** Adds MCP servers; see {@link #mcpServer(McpServerSpec)}. */
    public Builder mcpServers(List<McpServerSpec> servers) {
      requireNonNull(servers, "servers").forEach(this::mcpServer);
      return this;
    }

    /**
     * Adds a local function tool.
     *
     * @throws IllegalArgumentException if the agent already has a function tool of that name
     */
    public Builder functionTool(FunctionTool tool) {
      requireNonNull(tool, "tool");
      Set<String> names = new HashSet<>();
      for (FunctionTool existing : functionTools) {
        names.add(existing.name());
      }
      if (names.contains(tool.name())) {
        throw new IllegalArgumentException(
            "agent '" + name + "' already has a function tool named '" + tool.name() + "'");
      }
      functionTools.add(tool);
      return this;
    }

    /** Sets the most model turns a run may take; defaults to {@value Agent#DEFAULT_MAX_TURNS}. */
    public Builder maxTurns(int maxTurns) {
      if (maxTurns <= 0) {
        throw new IllegalArgumentException("maxTurns must be positive, was " + maxTurns);
      }
      this.maxTurns = maxTurns;
      return this;
    }

    /** Sets the model settings. */
    public Builder modelSettings(ModelSettings modelSettings) {
      this.modelSettings = requireNonNull(modelSettings, "modelSettings");
      return this;
    }

    /**
     * Returns the agent.
     *
     * @throws NullPointerException if no model was set
     */
    public Agent build() {
      return new Agent(this);
    }
  }
}
