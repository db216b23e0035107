package io.github.mcprunner.headers.oauth.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The default executor of token requests. Not public API. */
public final class TokenExecutors {
  /** Token requests under way at once per provider with the default executor. */
  public static final int DEFAULT_THREADS = 8;

  private TokenExecutors() {}

  /**
   * Returns a pool of {@link #DEFAULT_THREADS} daemon threads named after the provider; idle
   * threads end after 30 seconds, so an idle provider holds none.
   */
  public static ExecutorService newDefault(String providerName) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            DEFAULT_THREADS,
            DEFAULT_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "mcp-oauth-" + providerName + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
