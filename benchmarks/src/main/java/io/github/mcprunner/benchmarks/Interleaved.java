package io.github.mcprunner.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Variants measured in interleaved rounds (each round runs every variant in turn, so all of them
 * see the same machine load), and the table of their throughput, p50 and p99 with ratios to a
 * baseline.
 */
final class Interleaved {
  private Interleaved() {}

  /** What one call of a variant does. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** Runs {@code callers} concurrent loops of {@code callsEach} calls; returns what they took. */
  @FunctionalInterface
  interface Measurement {
    Sample measure(int callers, int callsEach) throws Exception;
  }

  /** The wall time of one measurement and the latency of every call in it, in nanoseconds. */
  record Sample(long elapsedNanos, long[] latencies) {}

  /** One variant: its measurement, and the samples of the measured rounds by number of callers. */
  static final class Variant {
    final String name;
    final Measurement measurement;
    private final Map<Integer, List<Sample>> samples = new LinkedHashMap<>();

    Variant(String name, Measurement measurement) {
      this.name = name;
      this.measurement = measurement;
    }

    void run(int callers, int callsEach, boolean measured) throws Exception {
      Sample sample = measurement.measure(callers, callsEach);
      if (measured) {
        samples.computeIfAbsent(callers, k -> new ArrayList<>()).add(sample);
      }
    }

    private List<Sample> measured(int callers) {
      List<Sample> all = samples.get(callers);
      if (all == null) {
        throw new IllegalArgumentException("no rounds were measured at " + callers + " callers");
      }
      return all;
    }

    /** Calls per second over the measured rounds at {@code callers}. */
    double throughput(int callers) {
      List<Sample> all = measured(callers);
      long calls = all.stream().mapToLong(s -> s.latencies().length).sum();
      long nanos = all.stream().mapToLong(Sample::elapsedNanos).sum();
      return calls / (nanos / 1e9);
    }

    /** The {@code quantile} (0 to 1) of the call latencies at {@code callers}, in microseconds. */
    double latencyMicros(int callers, double quantile) {
      long[] sorted =
          measured(callers).stream()
              .flatMapToLong(s -> Arrays.stream(s.latencies()))
              .sorted()
              .toArray();
      return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e3;
    }

    int rounds(int callers) {
      List<Sample> all = measured(callers);
      return all == null ? 0 : all.size();
    }
  }

  /** A variant whose calls run in this JVM, {@code callers} of them at once on {@code pool}. */
  static Measurement local(Call call, ExecutorService pool) {
    return (callers, callsEach) -> {
      List<Future<long[]>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < callers; c++) {
        futures.add(
            pool.submit(
                () -> {
                  long[] times = new long[callsEach];
                  for (int i = 0; i < callsEach; i++) {
                    long t0 = System.nanoTime();
                    call.run();
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
      return new Sample(elapsed, all.stream().flatMapToLong(Arrays::stream).toArray());
    };
  }

  /** Prints a Markdown table of {@code variants} at {@code callers}, with ratios to a baseline. */
  static void printTable(List<Variant> variants, int[] callers, String baseline) {
    System.out.printf(
        Locale.ROOT,
        "| variant | callers | calls/s | p50 µs | p99 µs | calls/s ÷ %s |%n",
        baseline);
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (int n : callers) {
      Variant base = find(variants, baseline);
      for (Variant variant : variants) {
        if (variant.rounds(n) == 0) {
          continue;
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
            variant.name,
            n,
            variant.throughput(n),
            variant.latencyMicros(n, 0.50),
            variant.latencyMicros(n, 0.99),
            variant.throughput(n) / base.throughput(n));
      }
    }
  }

  static Variant find(List<Variant> variants, String name) {
    return variants.stream()
        .filter(v -> v.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
  }
}
