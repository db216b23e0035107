package io.github.mcprunner.headers;

import static java.util.Objects.requireNonNull;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link McpHeaderProvider} knows about the HTTP request it contributes headers to: the MCP
 * server, the agent and run, the MCP method and tool when known, the run's context values, and the
 * headers resolved by the lower layers so far.
 *
 * <p>One context describes one HTTP request of one run; it is never shared between runs. The runner
 * creates it; {@link #builder(McpServerRef)} exists so that provider authors can test their
 * providers without a runner.
 */
public interface HeaderContext {

  /** Returns the MCP server the request goes to. */
  McpServerRef server();

  /** Returns the name of the agent being run, or {@code ""} outside a run. */
  String agentName();

  /**
   * Returns the id of the run, or {@code ""} when the request serves no single run (the close of a
   * shared session, for example).
   */
  String runId();

  /**
   * Returns the identity the MCP session belongs to ({@code RunOptions.identity(...)} or derived
   * from the identity-bearing headers), when there is one.
   */
  Optional<String> identity();

  /**
   * Returns the JSON-RPC method of the request ({@code initialize}, {@code tools/list}, {@code
   * tools/call}, ...), when known. Empty for the GET event stream and for DELETE.
   */
  Optional<String> mcpMethod();

  /** Returns the tool name of a {@code tools/call} request, when known. */
  Optional<String> toolName();

  /** Returns the run-context value stored under {@code key}, if any. */
  <T> Optional<T> get(ContextKey<T> key);

  /**
   * Returns the headers resolved by the layers below this provider: runner defaults, server static
   * headers and the providers ordered before it.
   */
  McpHeaders resolvedSoFar();

  /** Returns a builder of a simple context, for tests of providers. */
  static Builder builder(McpServerRef server) {
    return new Builder(server);
  }

  /** Builds a simple immutable {@link HeaderContext}. Not thread-safe. */
  final class Builder {
    private final McpServerRef server;
    private String agentName = "";
    private String runId = "";
    private @Nullable String identity;
    private @Nullable String mcpMethod;
    private @Nullable String toolName;
    private McpHeaders resolvedSoFar = McpHeaders.empty();
    private final Map<ContextKey<?>, Object> values = new IdentityHashMap<>();

    private Builder(McpServerRef server) {
      this.server = requireNonNull(server, "server");
    }

    /** Sets the agent name. */
    public Builder agentName(String agentName) {
      this.agentName = requireNonNull(agentName, "agentName");
      return this;
    }

    /** Sets the run id. */
    public Builder runId(String runId) {
      this.runId = requireNonNull(runId, "runId");
      return this;
    }

    /** Sets the session identity. */
    public Builder identity(@Nullable String identity) {
      this.identity = identity;
      return this;
    }

    /** Sets the MCP method. */
    public Builder mcpMethod(@Nullable String mcpMethod) {
      this.mcpMethod = mcpMethod;
      return this;
    }

    /** Sets the tool name. */
    public Builder toolName(@Nullable String toolName) {
      this.toolName = toolName;
      return this;
    }

    /** Sets the headers resolved so far. */
    public Builder resolvedSoFar(McpHeaders resolvedSoFar) {
      this.resolvedSoFar = requireNonNull(resolvedSoFar, "resolvedSoFar");
      return this;
    }

    /** Puts a run-context value. */
    public <T> Builder put(ContextKey<T> key, T value) {
      requireNonNull(key, "key");
      values.put(key, key.type().cast(requireNonNull(value, "value")));
      return this;
    }

    /** Returns the context. */
    public HeaderContext build() {
      Map<ContextKey<?>, Object> copy = new IdentityHashMap<>(values);
      String agent = agentName;
      String run = runId;
      String id = identity;
      String method = mcpMethod;
      String tool = toolName;
      McpHeaders soFar = resolvedSoFar;
      return new HeaderContext() {
        @Override
        public McpServerRef server() {
          return server;
        }

        @Override
        public String agentName() {
          return agent;
        }

        @Override
        public String runId() {
          return run;
        }

        @Override
        public Optional<String> identity() {
          return Optional.ofNullable(id);
        }

        @Override
        public Optional<String> mcpMethod() {
          return Optional.ofNullable(method);
        }

        @Override
        public Optional<String> toolName() {
          return Optional.ofNullable(tool);
        }

        @Override
        public <T> Optional<T> get(ContextKey<T> key) {
          requireNonNull(key, "key");
          return Optional.ofNullable(key.type().cast(copy.get(key)));
        }

        @Override
        public McpHeaders resolvedSoFar() {
          return soFar;
        }

        @Override
        public String toString() {
          return "HeaderContext{server=" + server.name() + ", run=" + run + "}";
        }
      };
    }
  }
}
