package io.github.mcprunner.observability.opentelemetry;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.observe.McpRequestStart;
import io.github.mcprunner.observe.McpSessionObservation;
import io.github.mcprunner.observe.McpSessionStart;
import io.github.mcprunner.observe.RunObservation;
import io.github.mcprunner.observe.RunObserver;
import io.github.mcprunner.observe.RunStart;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Records mcp-runner's runs on OpenTelemetry, by the MCP and GenAI semantic conventions:
 *
 * <ul>
 *   <li>a span {@code invoke_agent {agent}} (kind {@code INTERNAL}) per agent run, child of the
 *       context current when the run starts; under it a span {@code chat {model}} (kind {@code
 *       CLIENT}) per model turn and a span {@code {mcp.method.name} {tool}} (kind {@code CLIENT})
 *       per MCP request ({@code initialize} of a session the run opens, {@code tools/list}, {@code
 *       tools/call}), with {@code mcp.session.id} once the server gave one;
 *   <li>for a toolbox run ({@code McpToolbox}, as agent frameworks use it) no run span: its MCP
 *       request spans are children of the context current at each request, and a {@code tools/call}
 *       under an {@code execute_tool} span marked with {@link #executeToolContext} records on that
 *       span instead of opening its own;
 *   <li>the metrics {@code mcp.client.operation.duration}, {@code mcp.client.session.duration},
 *       {@code gen_ai.client.operation.duration} and {@code gen_ai.client.token.usage};
 *   <li>the MCP request span's context, by the {@link OpenTelemetry}'s propagators (W3C {@code
 *       traceparent}, {@code tracestate}, {@code baggage} when configured), in each request's
 *       {@code params._meta} and, through the header chain, in its HTTP headers.
 * </ul>
 *
 * <p>Nothing secret is recorded: names, ids, methods, statuses and error codes only, never a header
 * value, a context value, tool arguments or output, nor an exception message. The run's tenant and
 * user ids ({@code ContextKey.TENANT_ID}, {@code ContextKey.USER_ID}) become span attributes
 * ({@code mcp_runner.tenant.id}, {@code user.id}) only when opted in by name: {@link
 * Builder#recordAttributes(String)} or the {@value #ATTRIBUTES_PROPERTY} system property.
 *
 * <pre>{@code
 * Runner runner = Runners.builder()
 *     .observer(OpenTelemetryObserver.builder(openTelemetry)
 *         .recordAttributes("tenant,user")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Registered for {@link java.util.ServiceLoader}: with this module on the class path and no
 * observer set on the runner builder, the runner uses an instance on {@link
 * GlobalOpenTelemetry#get()} (a no-op until the application or an agent sets the global instance).
 * An observer given to the builder replaces the discovered one. Thread-safe.
 */
@AutoService(RunObserver.class)
public final class OpenTelemetryObserver implements RunObserver {

  /**
   * The system property (and, as {@code MCP_RUNNER_OBSERVABILITY_ATTRIBUTES}, environment variable)
   * naming the opt-in attributes of the discovered observer: a comma-separated list of {@code
   * tenant}, {@code user}.
   */
  public static final String ATTRIBUTES_PROPERTY = "mcp-runner.observability.attributes";

  /** The instrumentation scope of the spans and metrics. */
  static final String SCOPE = "io.github.mcprunner.observability-opentelemetry";

  /** The context key of the span {@link #executeToolContext} marks. */
  private static final ContextKey<Span> EXECUTE_TOOL = ContextKey.named("mcp-runner.execute_tool");

  /** What may be recorded only when opted in. */
  enum OptIn {
    TENANT,
    USER
  }

  private final @Nullable OpenTelemetry given;
  private final Set<OptIn> optIns;
  private final LongSupplier nanoTime;
  private volatile @Nullable Telemetry telemetry;
  // The MCP request each run has in flight (a run does one thing at a time), for the headers.
  final Map<String, McpRequestSpan> inFlight = new ConcurrentHashMap<>();

  /**
   * The instance {@link java.util.ServiceLoader} creates: it records on {@link
   * GlobalOpenTelemetry#get()}, read at the first run, with the opt-in attributes of the {@value
   * #ATTRIBUTES_PROPERTY} system property or environment variable. Applications should prefer
   * {@link #create(OpenTelemetry)} or {@link #builder(OpenTelemetry)}.
   *
   * @throws IllegalArgumentException if the property names an unknown attribute
   */
  public OpenTelemetryObserver() {
    this(null, parseOptIns(configuredAttributes(), ATTRIBUTES_PROPERTY), System::nanoTime);
  }

  private OpenTelemetryObserver(
      @Nullable OpenTelemetry openTelemetry, Set<OptIn> optIns, LongSupplier nanoTime) {
    this.given = openTelemetry;
    this.optIns = optIns;
    this.nanoTime = nanoTime;
  }

  /** Returns an observer recording on {@code openTelemetry}, without opt-in attributes. */
  public static OpenTelemetryObserver create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** Returns a builder of an observer recording on {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(requireNonNull(openTelemetry, "openTelemetry"));
  }

  Telemetry telemetry() {
    Telemetry t = telemetry;
    if (t == null) {
      synchronized (this) {
        t = telemetry;
        if (t == null) {
          OpenTelemetry otel = given != null ? given : GlobalOpenTelemetry.get();
          t = new Telemetry(otel, nanoTime);
          telemetry = t;
        }
      }
    }
    return t;
  }

  @Override
  public RunObservation runStarted(RunStart run) {
    Telemetry t = telemetry();
    AttributesBuilder extra = Attributes.builder();
    if (optIns.contains(OptIn.TENANT)) {
      run.tenant().ifPresent(tenant -> extra.put(SemanticAttributes.MCP_RUNNER_TENANT_ID, tenant));
    }
    if (optIns.contains(OptIn.USER)) {
      run.user().ifPresent(user -> extra.put(SemanticAttributes.USER_ID, user));
    }
    return new RunSpan(this, t, run, extra.build(), Context.current());
  }

  /**
   * Returns {@code context} with its span marked as a GenAI {@code execute_tool} span: the span an
   * agent framework (or your code) opens around a tool call it makes through an {@code McpToolbox}.
   * An MCP {@code tools/call} made while that span is the current one records on it (the MCP
   * attributes, {@code error.type} and status {@code ERROR} on failure) instead of opening a span
   * of its own, as the MCP semantic conventions ask; its owner still names and ends it. Other
   * requests (an {@code initialize} the call needs) become its children.
   *
   * <pre>{@code
   * Span span = tracer.spanBuilder("execute_tool " + toolName)
   *     .setAttribute("gen_ai.operation.name", "execute_tool").startSpan();
   * try (Scope scope = OpenTelemetryObserver.executeToolContext(Context.current().with(span))
   *     .makeCurrent()) {
   *   outcome = toolboxRun.call(toolName, argumentsJson);
   * } finally {
   *   span.end();
   * }
   * }</pre>
   */
  public static Context executeToolContext(Context context) {
    requireNonNull(context, "context");
    return context.with(EXECUTE_TOOL, Span.fromContext(context));
  }

  /**
   * Returns the marked {@code execute_tool} span a {@code tools/call} under {@code parent} records
   * on: only while it is the current span of {@code parent} (not under a child of its own).
   */
  static @Nullable Span executeToolSpan(Context parent, McpRequestStart request) {
    if (!"tools/call".equals(request.method())) {
      return null;
    }
    Span marked = parent.get(EXECUTE_TOOL);
    if (marked == null
        || marked != Span.fromContext(parent)
        || !marked.getSpanContext().isValid()) {
      return null;
    }
    return marked;
  }

  @Override
  public McpSessionObservation sessionOpened(McpSessionStart session) {
    return telemetry().sessionOpened(session);
  }

  /**
   * Returns the provider of the W3C trace context headers ({@code traceparent}, {@code tracestate},
   * and {@code baggage} when configured) of each MCP request's span: named {@code
   * opentelemetry-trace-context}, order {@value TraceContextHeaders#ORDER}, so that every other
   * provider and the per-run layers (4 and 5) come after it and may replace or remove what it sets.
   */
  @Override
  public Optional<McpHeaderProvider> headerProvider() {
    return Optional.of(new TraceContextHeaders(this));
  }

  @Override
  public String toString() {
    return "OpenTelemetryObserver{attributes=" + optIns + "}";
  }

  private static @Nullable String configuredAttributes() {
    String value = System.getProperty(ATTRIBUTES_PROPERTY);
    return value != null ? value : System.getenv("MCP_RUNNER_OBSERVABILITY_ATTRIBUTES");
  }

  static Set<OptIn> parseOptIns(@Nullable String names, String where) {
    Set<OptIn> set = EnumSet.noneOf(OptIn.class);
    if (names == null || names.isBlank()) {
      return set;
    }
    for (String part : names.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      try {
        set.add(OptIn.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + " names the unknown attribute '" + name + "'; known are: tenant, user", e);
      }
    }
    return set;
  }

  /** Builds an {@link OpenTelemetryObserver}. Not thread-safe. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private Set<OptIn> optIns = EnumSet.noneOf(OptIn.class);
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Sets the opt-in span attributes, by name, comma-separated: {@code tenant} (the run's {@code
     * ContextKey.TENANT_ID} as {@code mcp_runner.tenant.id}), {@code user} (its {@code
     * ContextKey.USER_ID} as {@code user.id}); none by default. They go on spans only, never on
     * metrics (whose cardinality they would explode).
     *
     * @throws IllegalArgumentException if a name is unknown
     */
    public Builder recordAttributes(String names) {
      this.optIns = parseOptIns(requireNonNull(names, "names"), "recordAttributes");
      return this;
    }

    /** Sets the monotonic time source of the session duration metric; for tests. */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** Returns the observer. */
    public OpenTelemetryObserver build() {
      return new OpenTelemetryObserver(openTelemetry, optIns, nanoTime);
    }
  }
}
