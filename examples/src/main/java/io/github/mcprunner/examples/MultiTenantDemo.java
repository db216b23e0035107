package io.github.mcprunner.examples;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunItem;
import io.github.mcprunner.RunResult;
import io.github.mcprunner.Runner;
import io.github.mcprunner.TransportKind;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.headers.config.TenantHeadersProvider;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo a newcomer runs first: one agent and one MCP server definition serve several tenants and
 * users, and every run carries its own headers to the MCP server.
 *
 * <p>With no arguments it starts an embedded MCP server (two tools of a fictional ticket system
 * that answer from the headers they receive), then, over every transport on the class path, runs
 * the same agent once per tenant one after another and once per tenant all at once. Each run passes
 * its user's bearer token, user id and a unique run tag as per-run headers ({@code
 * RunOptions.mcpHeaders}), and its tenant id as context, from which a {@link TenantHeadersProvider}
 * adds the tenant's id, API key and route. It prints every request the server saw (secrets
 * redacted), each run's tool results, and checks that no request carried another run's headers.
 *
 * <pre>
 * java -jar examples/target/mcp-runner-demo.jar [--mcp-url URL] [--transport httpclient|okhttp]
 *     [--tenants N] [--header Name=Value]... [--tool NAME]...
 * </pre>
 *
 * <p>Exit status 0 when every run succeeded and every request carried only its own run's headers, 1
 * otherwise, 2 for a bad command line.
 */
public final class MultiTenantDemo {

  static final String OK_PREFIX = "OK: ";
  private static final String INPUT = "Which of my tickets are open?";
  private static final List<String> SHOWN_HEADERS =
      List.of("Authorization", "X-User-Id", "X-Tenant-Id", "X-Api-Key", "X-Route");

  private MultiTenantDemo() {}

  /** Runs the demo and exits with its status. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err, System.getenv());
    System.out.flush();
    System.exit(status);
  }

  /** Runs the demo, printing to {@code out} and {@code err}; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (UsageException e) {
      err.println("mcp-runner demo: " + e.getMessage());
      err.println();
      err.println(DemoOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }
    List<String> available = availableTransports();
    List<String> transports = options.transports().isEmpty() ? available : options.transports();
    for (String transport : transports) {
      if (!available.contains(transport)) {
        err.println(
            "mcp-runner demo: transport '"
                + transport
                + "' is not on the class path (available: "
                + String.join(", ", available)
                + "); add io.github.mcprunner:transport-"
                + transport
                + " to examples/pom.xml");
        err.println();
        err.println(DemoOptions.USAGE);
        return 2;
      }
    }
    if (transports.isEmpty()) {
      err.println(
          "mcp-runner demo: no transport on the class path; add"
              + " io.github.mcprunner:transport-httpclient");
      return 1;
    }
    try {
      return new MultiTenantDemo().demo(options, transports, out, err, env);
    } catch (IOException | RuntimeException e) {
      err.println("mcp-runner demo failed: " + e);
      return 1;
    }
  }

  private int demo(
      DemoOptions options,
      List<String> transports,
      PrintStream out,
      PrintStream err,
      Map<String, String> env)
      throws IOException {
    SecureRandom random = new SecureRandom();
    List<DemoTenant> tenants = DemoTenant.create(options.tenants(), random);
    URI external = options.mcpUrl();
    boolean embedded = external == null;
    List<String> tools =
        !options.tools().isEmpty() ? options.tools() : embedded ? DemoServer.TOOLS : List.of();
    UpstreamCheck.Outcome upstream = null;
    if (external != null) {
      try {
        upstream = UpstreamCheck.check(external);
      } catch (UpstreamCheck.UpstreamException e) {
        err.println("mcp-runner demo: " + e.getMessage());
        return 1;
      }
    }
    TransportKind kind = upstream == null ? TransportKind.STREAMABLE_HTTP : upstream.kind();
    EmbeddedMcpServer server = null;
    RecordingRelay relay = null;
    try {
      URI url;
      Supplier<List<SeenRequest>> seen;
      if (external == null) {
        EmbeddedMcpServer started = DemoServer.start(tenants);
        server = started;
        url = started.url();
        seen =
            () -> {
              List<SeenRequest> all = new ArrayList<>();
              started.requests().forEach(r -> all.add(SeenRequest.of(all.size() + 1, r)));
              return all;
            };
      } else {
        RecordingRelay started = RecordingRelay.start(external);
        relay = started;
        url = started.url();
        seen = started::requests;
      }
      DemoModel model = DemoModel.choose(tools, embedded, env, out);
      List<String> headerNames = new ArrayList<>(SHOWN_HEADERS);
      options
          .headers()
          .forEach(
              h -> {
                if (headerNames.stream().noneMatch(n -> n.equalsIgnoreCase(h.name()))) {
                  headerNames.add(h.name());
                }
              });

      out.println(
          "mcp-runner demo: one agent, one MCP server definition, "
              + count(tenants.size(), "tenant")
              + ", every run with its own headers");
      out.println(
          "  MCP server   "
              + (embedded
                  ? "embedded, "
                      + url
                      + " (Streamable HTTP with sessions), tools "
                      + String.join(", ", DemoServer.TOOLS)
                  : external
                      + " ("
                      + requireNonNull(upstream).note()
                      + "), through a recording relay at "
                      + url));
      if (!embedded) {
        out.println(
            "               (the relay passes every request on unchanged and records what it"
                + " carried, so the table shows what reached the server)");
      }
      out.println("  model        " + model.description());
      out.println("  transports   " + String.join(", ", transports));
      out.println(
          "  per run      Authorization: Bearer <user's token>, X-User-Id, "
              + DemoRun.NONCE_HEADER
              + " (RunOptions.mcpHeaders)"
              + extrasNote(options));
      out.println(
          "  per tenant   X-Tenant-Id, X-Api-Key, X-Route (TenantHeadersProvider, from the run's"
              + " ContextKey.TENANT_ID)");
      out.println(
          "  sessions     one MCP session per identity (tenant/user), reused by that identity's"
              + " runs");
      out.println(
          "  legend       run: the run named by the "
              + DemoRun.NONCE_HEADER
              + " tag the server received");
      out.println(
          "               ██ abc123: a secret, redacted; abc123 = the first "
              + Redaction.DIGEST_DIGITS
              + " hex digits of its SHA-256");
      out.println("               s1, s2, ...: the MCP sessions (Mcp-Session-Id), numbered");
      out.println();

      DemoReport report = new DemoReport(out);
      Map<String, DemoRun> allRuns = new LinkedHashMap<>();
      List<SeenRequest> allSeen = new ArrayList<>();
      int failedRuns = 0;
      for (String transport : transports) {
        int before = seen.get().size();
        Map<String, DemoRun> runs = new LinkedHashMap<>();
        Map<String, List<String[]>> results = new ConcurrentHashMap<>();
        Map<String, String> errors = new ConcurrentHashMap<>();
        Agent agent =
            Agent.builder("support")
                .instructions("You help support staff. Answer from the ticket system's tools.")
                .model(model.model())
                .mcpServer(
                    McpServerSpec.builder("tickets", url)
                        .transport(transport)
                        .transportKind(kind)
                        .requestTimeout(Duration.ofSeconds(30))
                        .build())
                .maxTurns(tools.size() + 2)
                .build();
        try (TenantHeadersProvider tenantHeaders = tenantProvider(tenants);
            Runner runner = Runners.builder().headerProvider(tenantHeaders).build()) {
          List<DemoRun> sequential = plan("seq", transport, tenants, options, random);
          for (DemoRun run : sequential) {
            runs.put(run.nonce(), run);
            execute(runner, agent, run, results, errors);
          }
          List<DemoRun> parallel = plan("par", transport, tenants, options, random);
          parallel.forEach(run -> runs.put(run.nonce(), run));
          runConcurrently(runner, agent, parallel, results, errors);
        }
        // The runner is closed: its sessions' DELETEs were sent.
        List<SeenRequest> sinceStart = seen.get();
        List<SeenRequest> requests = sinceStart.subList(before, sinceStart.size());
        out.println(
            "Over "
                + transport
                + ": "
                + count(tenants.size(), "run")
                + " one after another (seq-*), then "
                + tenants.size()
                + " at once (par-*); every request the server saw:");
        report.requests(requests, runs, headerNames);
        out.println(report.protocolSummary(requests));
        out.println(report.sessionSummary(requests, runs));
        out.println();
        out.println("Tool results:");
        report.results(List.copyOf(runs.values()), results, errors, secrets(runs.values()));
        out.println();
        allRuns.putAll(runs);
        allSeen.addAll(requests);
        failedRuns += errors.size();
      }

      CrossTalkCheck.Result check =
          CrossTalkCheck.check(allSeen, allRuns, model.callsToolsEveryRun());
      if (relay != null) {
        URI target = relay.target();
        relay
            .upstreamFailures()
            .forEach(
                (cause, requests) ->
                    out.println(
                        "PROBLEM: the MCP server at "
                            + target
                            + " could not be reached for "
                            + count(requests, "request")
                            + " ("
                            + cause
                            + "); check that the server runs and the URL is right"));
      }
      check.problems().forEach(problem -> out.println("PROBLEM: " + problem));
      if (failedRuns > 0) {
        out.println(
            "FAILED: "
                + failedRuns
                + " of "
                + count(allRuns.size(), "run")
                + " failed (see the tool results above)");
      }
      if (!check.ok()) {
        out.println(
            "FAILED: "
                + check.checked()
                + " requests checked, "
                + check.foreign()
                + " carried another run's headers (or none)");
      }
      if (failedRuns > 0 || !check.ok()) {
        return 1;
      }
      out.println(
          OK_PREFIX
              + check.checked()
              + " requests checked, 0 carried another run's headers ("
              + count(allRuns.size(), "run")
              + ", "
              + count(tenants.size(), "tenant")
              + ", over "
              + String.join(" and ", transports)
              + ")");
      return 0;
    } finally {
      if (server != null) {
        server.close();
      }
      if (relay != null) {
        relay.close();
      }
    }
  }

  /**
   * Returns the secret values of {@code runs}: the value of every sensitive header they send (the
   * user's {@code Authorization}, the tenant's API key, sensitive {@code --header}s) and the
   * credential after its scheme ({@code Bearer utk_...} and {@code utk_...}).
   */
  static Set<String> secrets(Collection<DemoRun> runs) {
    Set<String> secrets = new LinkedHashSet<>();
    for (DemoRun run : runs) {
      secrets.add(run.tenant().userToken());
      secrets.add(run.tenant().apiKey());
      run.expected()
          .forEach(
              (name, value) -> {
                if (McpHeaders.isSensitive(name)) {
                  secrets.add(value);
                  int space = value.indexOf(' ');
                  if (space > 0) {
                    secrets.add(value.substring(space + 1).trim());
                  }
                }
              });
    }
    return secrets;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String extrasNote(DemoOptions options) {
    if (options.headers().isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    options.headers().forEach(h -> names.add(h.name()));
    return "; from --header: " + String.join(", ", names);
  }

  /** The provider of the tenants' headers: tenant id → X-Tenant-Id, X-Api-Key, X-Route. */
  private static TenantHeadersProvider tenantProvider(List<DemoTenant> tenants) {
    Map<String, McpHeaders> table = new LinkedHashMap<>();
    tenants.forEach(t -> table.put(t.tenantId(), t.tenantHeaders()));
    return TenantHeadersProvider.of(table);
  }

  private static List<DemoRun> plan(
      String phase,
      String transport,
      List<DemoTenant> tenants,
      DemoOptions options,
      SecureRandom random) {
    List<DemoRun> runs = new ArrayList<>();
    for (int i = 0; i < tenants.size(); i++) {
      byte[] nonce = new byte[8];
      random.nextBytes(nonce);
      runs.add(
          DemoRun.plan(
              phase + "-" + (i + 1),
              transport,
              tenants.get(i),
              HexFormat.of().formatHex(nonce),
              options.headers()));
    }
    return runs;
  }

  private static void execute(
      Runner runner,
      Agent agent,
      DemoRun run,
      Map<String, List<String[]>> results,
      Map<String, String> errors) {
    try {
      RunResult result = runner.run(agent, INPUT, run.options());
      List<String[]> outputs = new ArrayList<>();
      for (RunItem.ToolResultItem item : result.toolResults()) {
        outputs.add(
            new String[] {item.toolName(), (item.error() ? "error: " : "") + item.output()});
      }
      if (outputs.isEmpty()) {
        outputs.add(new String[] {"(answer)", result.finalOutput()});
      }
      results.put(run.nonce(), outputs);
    } catch (RuntimeException e) {
      // Library errors name what and where, never a header value.
      errors.put(run.nonce(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static void runConcurrently(
      Runner runner,
      Agent agent,
      List<DemoRun> runs,
      Map<String, List<String[]>> results,
      Map<String, String> errors) {
    ExecutorService threads = Executors.newFixedThreadPool(runs.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (DemoRun run : runs) {
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  execute(runner, agent, run, results, errors);
                  return null;
                }));
      }
      start.countDown(); // all runs start together and interleave on the wire
      for (int i = 0; i < futures.size(); i++) {
        try {
          futures.get(i).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
          errors.putIfAbsent(
              runs.get(i).nonce(), "did not finish: " + e.getClass().getSimpleName());
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Returns the names of the transports on the class path, the default (highest order) first. */
  static List<String> availableTransports() {
    List<McpTransportFactory> factories = new ArrayList<>();
    ServiceLoader.load(McpTransportFactory.class, MultiTenantDemo.class.getClassLoader())
        .forEach(factories::add);
    factories.sort(
        Comparator.comparingInt(McpTransportFactory::order)
            .reversed()
            .thenComparing(McpTransportFactory::name));
    List<String> names = new ArrayList<>();
    factories.forEach(f -> names.add(f.name()));
    return List.copyOf(names);
  }
}
