package io.github.mcprunner.benchmarks;

import io.github.mcprunner.core.internal.HeaderChain;
import io.github.mcprunner.core.internal.HeaderRequest;
import io.github.mcprunner.core.internal.ResolvedHeaders;
import io.github.mcprunner.core.internal.RunScope;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.HeaderContext;
import io.github.mcprunner.headers.McpHeaderProvider;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.McpServerRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of resolving the headers of one HTTP request to an MCP server, which the runner pays for
 * every request it sends (initialize, tool calls, notifications, the event stream, DELETE).
 *
 * <p>{@link #fiveLayersThreeProviders()}: all five layers with ten header entries in total and
 * three providers whose caches are warm, as in a multi-tenant service: runner defaults ({@code
 * User-Agent}, {@code X-Client-Name}), server static headers ({@code X-Api-Version}), a cached
 * OAuth token ({@code Authorization}), a tenant lookup ({@code X-Tenant-Id}, {@code
 * X-Tenant-Plan}), the agent's name ({@code X-Agent-Name}), per-run headers ({@code X-User-Id},
 * {@code X-Request-Id}) and one per-server header overriding {@code X-Api-Version}. {@link
 * #staticOnly()} is the baseline without providers or per-run headers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HeaderChainBenchmark {

  private static final McpServerRef CRM = McpServerRef.of("crm", "https://crm.example.com/mcp");

  private static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(60);

  private HeaderChain chain;
  private HeaderChain staticChain;
  private McpHeaders serverHeaders;
  private RunScope run;
  private RunScope neutral;

  @Setup
  public void setUp() {
    chain =
        HeaderChain.create(
            McpHeaders.of("User-Agent", "mcp-runner/0.1", "X-Client-Name", "support-desk"),
            List.of(
                new TenantLookupProvider(), new CachedTokenProvider(), new AgentNameProvider()));
    staticChain = HeaderChain.create(chain.runnerDefaults(), List.of());
    serverHeaders = McpHeaders.of("X-Api-Version", "2025-06-18");
    run =
        RunScope.builder("support-bot", "run-8f14e45f")
            .identity("user-42")
            .perRunHeaders(McpHeaders.of("X-User-Id", "user-42", "X-Request-Id", "req-8f14e45f"))
            .perServerHeaders("crm", McpHeaders.of("x-api-version", "2025-11-25"))
            .context(ContextKey.SUBJECT_TOKEN, "eyJhbGciOiJSUzI1NiJ9.subject.sig")
            .context(ContextKey.TENANT_ID, "acme")
            .build();
    neutral = RunScope.neutral("support-bot");
    // Warm the providers' caches, and check the setup resolves what it should.
    ResolvedHeaders resolved = fiveLayersThreeProviders();
    if (resolved.headers().size() != 9 || resolved.contributors().size() != 3) {
      throw new IllegalStateException("Unexpected resolution: " + resolved.headers().names());
    }
  }

  /** Five layers, three providers, ten header entries: what every request of a run pays. */
  @Benchmark
  public ResolvedHeaders fiveLayersThreeProviders() {
    return chain.resolve(new HeaderRequest(CRM, serverHeaders, run, "tools/call", "search"));
  }

  /**
   * The same request as the runner resolves it: every provider call under the request's deadline
   * and the run's cancellation (the calling thread's watch armed, then disarmed).
   */
  @Benchmark
  public ResolvedHeaders fiveLayersThreeProvidersWatched() {
    return chain.resolve(
        new HeaderRequest(CRM, serverHeaders, run, "tools/call", "search"), REQUEST_TIMEOUT);
  }

  /** Runner defaults and server static headers only. */
  @Benchmark
  public ResolvedHeaders staticOnly() {
    return staticChain.resolve(new HeaderRequest(CRM, serverHeaders, neutral, "tools/call", null));
  }

  /** An OAuth token provider whose cache (subject, server) holds a fresh token. */
  static final class CachedTokenProvider implements McpHeaderProvider {
    private final Map<String, Map<String, McpHeaders>> bySubjectAndServer =
        new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "oauth-token-exchange";
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      Optional<String> subject = context.get(ContextKey.SUBJECT_TOKEN);
      if (subject.isEmpty()) {
        return McpHeaders.empty();
      }
      Map<String, McpHeaders> byServer = bySubjectAndServer.get(subject.get());
      McpHeaders cached = byServer == null ? null : byServer.get(context.server().name());
      if (cached != null) {
        return cached;
      }
      McpHeaders fresh =
          McpHeaders.of("Authorization", "Bearer exchanged-for-" + context.server().name());
      bySubjectAndServer
          .computeIfAbsent(subject.get(), s -> new ConcurrentHashMap<>())
          .put(context.server().name(), fresh);
      return fresh;
    }
  }

  /** Looks the run's tenant up in an in-memory table. */
  static final class TenantLookupProvider implements McpHeaderProvider {
    private final Map<String, McpHeaders> tenants =
        Map.of(
            "acme", McpHeaders.of("X-Tenant-Id", "acme", "X-Tenant-Plan", "enterprise"),
            "globex", McpHeaders.of("X-Tenant-Id", "globex", "X-Tenant-Plan", "team"));

    @Override
    public String name() {
      return "tenant-lookup";
    }

    @Override
    public int order() {
      return 10;
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      Optional<String> tenant = context.get(ContextKey.TENANT_ID);
      McpHeaders headers = tenant.isEmpty() ? null : tenants.get(tenant.get());
      return headers == null ? McpHeaders.empty() : headers;
    }
  }

  /** Sends the agent's name, cached per agent. */
  static final class AgentNameProvider implements McpHeaderProvider {
    private final Map<String, McpHeaders> byAgent = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "agent-name";
    }

    @Override
    public int order() {
      return 20;
    }

    @Override
    public McpHeaders headers(HeaderContext context) {
      McpHeaders cached = byAgent.get(context.agentName());
      if (cached == null) {
        cached = McpHeaders.of("X-Agent-Name", context.agentName());
        byAgent.put(context.agentName(), cached);
      }
      return cached;
    }
  }
}
