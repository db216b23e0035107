package io.github.mcprunner;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.ContextKey;
import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server's question to the user behind one run, as an {@link InputHandler} receives it: the
 * server and run it comes from, and either a form (message and requested JSON schema) or a URL
 * (message, URL, and the server's elicitation id).
 *
 * <p>Immutable and thread-safe. {@link #toString()} prints the server, run and mode only: neither
 * the message, the schema, the URL nor a context value.
 */
public final class InputRequest {

  /** What the server asks for. */
  public enum Mode {
    /** Fill in a form: {@link #requestedSchema()} describes the fields. */
    FORM,
    /** Open a URL (consent, payment, sign-in at a third party) and come back. */
    URL
  }

  private final String serverName;
  private final String runId;
  private final String agentName;
  private final @Nullable String identity;
  private final Map<ContextKey<?>, Object> context;
  private final Mode mode;
  private final String message;
  private final @Nullable String requestedSchema;
  private final @Nullable URI url;
  private final @Nullable String elicitationId;

  private InputRequest(
      Run run,
      Mode mode,
      String message,
      @Nullable String requestedSchema,
      @Nullable URI url,
      @Nullable String elicitationId) {
    this.serverName = run.serverName;
    this.runId = run.runId;
    this.agentName = run.agentName;
    this.identity = run.identity;
    this.context = run.context;
    this.mode = mode;
    this.message = requireNonNull(message, "message");
    this.requestedSchema = requestedSchema;
    this.url = url;
    this.elicitationId = elicitationId;
  }

  /**
   * Returns a form question.
   *
   * @param run the server and run the question comes from
   * @param message what the server tells the user
   * @param requestedSchema the JSON schema of the answer's content, as JSON text
   * @throws NullPointerException if an argument is null
   */
  public static InputRequest form(Run run, String message, String requestedSchema) {
    requireNonNull(run, "run");
    return new InputRequest(
        run, Mode.FORM, message, requireNonNull(requestedSchema, "requestedSchema"), null, null);
  }

  /**
   * Returns a URL question.
   *
   * @param run the server and run the question comes from
   * @param message what the server tells the user
   * @param url the URL the user is to open
   * @param elicitationId the server's id of this question (it may report completion under it)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not absolute
   */
  public static InputRequest url(Run run, String message, URI url, String elicitationId) {
    requireNonNull(run, "run");
    if (!requireNonNull(url, "url").isAbsolute()) {
      throw new IllegalArgumentException("url must be absolute");
    }
    return new InputRequest(
        run, Mode.URL, message, null, url, requireNonNull(elicitationId, "elicitationId"));
  }

  /** Returns the name of the MCP server asking ({@link McpServerSpec#name()}). */
  public String serverName() {
    return serverName;
  }

  /** Returns the id of the run the question belongs to. */
  public String runId() {
    return runId;
  }

  /** Returns the name of the agent (or toolbox) of the run. */
  public String agentName() {
    return agentName;
  }

  /** Returns the run's session identity ({@link RunOptions.Builder#identity}), if set. */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  /** Returns the run's context value under {@code key} ({@link RunOptions.Builder#context}). */
  public <T> Optional<T> context(ContextKey<T> key) {
    Object value = context.get(requireNonNull(key, "key"));
    return value == null ? Optional.empty() : Optional.of(key.type().cast(value));
  }

  /** Returns whether the server asks for a form or a URL visit. */
  public Mode mode() {
    return mode;
  }

  /** Returns the server's message to the user. */
  public String message() {
    return message;
  }

  /** Returns the JSON schema of the form's content, as JSON text; empty in URL mode. */
  public Optional<String> requestedSchema() {
    return Optional.ofNullable(requestedSchema);
  }

  /** Returns the URL to open; empty in form mode. */
  public Optional<URI> url() {
    return Optional.ofNullable(url);
  }

  /** Returns the server's id of a URL question; empty in form mode. */
  public Optional<String> elicitationId() {
    return Optional.ofNullable(elicitationId);
  }

  /** Returns {@code InputRequest{server=..., run=..., mode=...}}. */
  @Override
  public String toString() {
    return "InputRequest{server=" + serverName + ", run=" + runId + ", mode=" + mode + "}";
  }

  /**
   * Where a question comes from: the server, and the run with its identity and context values.
   * Immutable.
   */
  public static final class Run {
    private final String serverName;
    private final String runId;
    private final String agentName;
    private final @Nullable String identity;
    private final Map<ContextKey<?>, Object> context;

    private Run(
        String serverName,
        String runId,
        String agentName,
        @Nullable String identity,
        Map<ContextKey<?>, Object> context) {
      this.serverName = serverName;
      this.runId = runId;
      this.agentName = agentName;
      this.identity = identity;
      this.context = context;
    }

    /**
     * Returns the origin of a question of server {@code serverName} to run {@code runId}.
     *
     * @param serverName the name of the MCP server asking
     * @param runId the id of the run asked
     * @param agentName the name of the run's agent (or toolbox)
     * @param identity the run's session identity, or null
     * @param context the run's context values (copied)
     * @throws NullPointerException if an argument but {@code identity} is null
     */
    public static Run of(
        String serverName,
        String runId,
        String agentName,
        @Nullable String identity,
        Map<ContextKey<?>, Object> context) {
      return new Run(
          requireNonNull(serverName, "serverName"),
          requireNonNull(runId, "runId"),
          requireNonNull(agentName, "agentName"),
          identity,
          Collections.unmodifiableMap(new IdentityHashMap<>(requireNonNull(context, "context"))));
    }
  }
}
