package io.github.mcprunner.benchmarks;

import io.github.mcprunner.Agent;
import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.RunOptions;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import io.github.mcprunner.headers.ContextKey;
import io.github.mcprunner.headers.McpHeaders;
import io.github.mcprunner.observability.opentelemetry.OpenTelemetryObserver;
import io.github.mcprunner.testkit.EmbeddedMcpServer;
import io.github.mcprunner.testkit.ScriptedModel;
import io.github.mcprunner.transport.httpclient.HttpClientTransportFactory;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the OpenTelemetry observer costs a whole run (model turn, {@code tools/call} on a pooled
 * session, answer turn), at 1 and 32 concurrent runs, in one JVM against one embedded server, in
 * interleaved rounds (as {@link TransportComparison} does, for the same reason): {@code
 * no-observer} (the runner as it is without the module), {@code otel-noop} (the observer on {@link
 * OpenTelemetry#noop()}), {@code otel-sdk} (the observer on the SDK: every span batched to an
 * exporter that counts and drops it, every metric aggregated).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar \
 *     io.github.mcprunner.benchmarks.ObservationComparison [rounds]
 * </pre>
 */
public final class ObservationComparison {
  private static final int WARM_UP_ROUNDS = 2;
  private static final int RUNS_ALONE = 200;
  private static final int RUNS_EACH_OF_32 = 25;

  private ObservationComparison() {}

  private static final class Variant {
    final String name;
    final Runner runner;
    final List<long[]> alone = new ArrayList<>();
    final List<long[]> concurrent = new ArrayList<>();
    long aloneNanos;
    long concurrentNanos;

    Variant(String name, Runner runner) {
      this.name = name;
      this.runner = runner;
    }
  }

  /** Counts the spans it is given and drops them. */
  private static final class CountingExporter implements SpanExporter {
    final AtomicLong spans = new AtomicLong();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAndGet(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    EmbeddedMcpServer server = EmbeddedMcpServer.builder().defaultTools().start();
    server.setRecording(false);
    CountingExporter exporter = new CountingExporter();
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    Agent agent =
        Agent.builder("bench")
            .model(
                ScriptedModel.builder()
                    .callTool("add", "{\"a\":1,\"b\":2}")
                    .answer(ScriptedModel::lastToolOutput)
                    .build())
            .mcpServer(McpServerSpec.builder("bench", server.url()).build())
            .build();
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("no-observer", runner(null)));
    variants.add(
        new Variant("otel-noop", runner(OpenTelemetryObserver.create(OpenTelemetry.noop()))));
    variants.add(
        new Variant(
            "otel-sdk",
            runner(OpenTelemetryObserver.builder(sdk).recordAttributes("tenant").build())));
    try {
      for (int round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
        boolean measured = round >= WARM_UP_ROUNDS;
        for (Variant variant : variants) {
          long t =
              measure(variant.runner, agent, 1, RUNS_ALONE, pool, measured ? variant.alone : null);
          long u =
              measure(
                  variant.runner,
                  agent,
                  32,
                  RUNS_EACH_OF_32,
                  pool,
                  measured ? variant.concurrent : null);
          if (measured) {
            variant.aloneNanos += t;
            variant.concurrentNanos += u;
          }
        }
      }
      sdk.getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
      report(variants, rounds, exporter.spans.get());
    } finally {
      pool.shutdownNow();
      for (Variant variant : variants) {
        variant.runner.close();
      }
      sdk.close();
      server.close();
    }
    System.exit(0);
  }

  private static Runner runner(@Nullable OpenTelemetryObserver observer) {
    var builder =
        Runners.builder()
            .discoverHeaderProviders(false)
            .discoverTransports(false)
            .discoverObservers(false)
            .transport(new HttpClientTransportFactory());
    if (observer != null) {
      builder.observer(observer);
    }
    return builder.build();
  }

  private static long measure(
      Runner runner,
      Agent agent,
      int callers,
      int runsEach,
      ExecutorService pool,
      @Nullable List<long[]> into)
      throws Exception {
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      futures.add(
          pool.submit(
              () -> {
                long[] times = new long[runsEach];
                for (int i = 0; i < runsEach; i++) {
                  long t0 = System.nanoTime();
                  runner.run(
                      agent,
                      "add",
                      RunOptions.builder()
                          .mcpHeaders(McpHeaders.of("Authorization", "Bearer t-" + (caller % 8)))
                          .context(ContextKey.TENANT_ID, "tenant-" + (caller % 8))
                          .build());
                  times[i] = System.nanoTime() - t0;
                }
                return times;
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> future : futures) {
      all.add(future.get());
    }
    long elapsed = System.nanoTime() - start;
    if (into != null) {
      into.addAll(all);
    }
    return elapsed;
  }

  private static void report(List<Variant> variants, int rounds, long spans) {
    System.out.printf(
        Locale.ROOT,
        "%nWhole runs on one embedded server, %d interleaved rounds (after %d warm-up); %d spans"
            + " exported%n%n",
        rounds,
        WARM_UP_ROUNDS,
        spans);
    System.out.println(
        "| variant | concurrent runs | runs/s | p50 µs | p99 µs | runs/s ÷ no-observer |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    double[] base = new double[2];
    for (int k = 0; k < 2; k++) {
      for (Variant variant : variants) {
        List<long[]> lat = k == 0 ? variant.alone : variant.concurrent;
        long nanos = k == 0 ? variant.aloneNanos : variant.concurrentNanos;
        long[] sorted = lat.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double perSecond = sorted.length / (nanos / 1e9);
        if (variant.name.equals("no-observer")) {
          base[k] = perSecond;
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
            variant.name,
            k == 0 ? 1 : 32,
            perSecond,
            sorted[sorted.length / 2] / 1e3,
            sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e3,
            perSecond / base[k]);
      }
    }
  }
}
