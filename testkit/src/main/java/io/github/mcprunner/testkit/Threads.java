package io.github.mcprunner.testkit;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Thread checks for lifecycle tests: which threads run, and waiting for some to end. */
public final class Threads {
  private Threads() {}

  /** Returns the live threads whose name {@code name} accepts. */
  public static Set<Thread> live(Predicate<String> name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> name.test(thread.getName()))
        .collect(Collectors.toSet());
  }

  /**
   * Waits, at most {@code wait}, until none of {@code threads} is alive; returns the names of those
   * still alive then (empty when all ended). Collects garbage meanwhile, since on JDK 17 an {@code
   * HttpClient}'s selector thread ends only once the client is no longer referenced.
   */
  public static Set<String> stillAlive(Set<Thread> threads, Duration wait)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    Set<String> alive = names(threads);
    while (!alive.isEmpty() && System.nanoTime() < end) {
      System.gc();
      Thread.sleep(100);
      alive = names(threads);
    }
    return alive;
  }

  private static Set<String> names(Set<Thread> threads) {
    return threads.stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
