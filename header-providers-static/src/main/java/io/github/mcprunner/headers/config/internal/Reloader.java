package io.github.mcprunner.headers.config.internal;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Holds the current version of a configuration loaded from files, and replaces it when the files
 * change. Readers get the current version with one volatile read, so a request sees the old or the
 * new version, never a mix. A load that fails keeps the previous version and logs its error once
 * (until the files change again). Not public API.
 *
 * <p>Change detection compares a fingerprint of the content of every file the last load read (the
 * configuration file and the secret files its references named). A change is applied by {@link
 * #checkForChanges()} only once two checks in a row see the same new content, and only if the load
 * then reads exactly that content, so a file that is being written in place is not read
 * half-written (unless its writer pauses longer than the check interval; writers should write a
 * sibling file and rename it). A {@link Guard} may refuse a version that loaded fine (e.g. one that
 * drops every header), which is then handled like a broken one.
 *
 * @param <T> the immutable configuration type
 */
public final class Reloader<T> implements AutoCloseable {

  /**
   * Decides whether a loaded version may replace the current one (a reload that would drop every
   * header is refused unless the user allowed it).
   */
  public interface Guard<T> {
    /**
     * Returns why {@code next} may not replace {@code current} (a message naming the file, never a
     * value), or {@code null} if it may.
     */
    @Nullable String refusal(T current, T next);

    /** Returns a guard that lets every version through. */
    static <T> Guard<T> none() {
      return (current, next) -> null;
    }
  }

  /** Loads one version of the configuration, reading files through the given record. */
  public interface Loader<T> {
    /**
     * Loads the configuration.
     *
     * @throws HeaderConfigException if it is broken (message without any value)
     */
    T load(InputFiles files);
  }

  private final String what;
  private final Loader<T> loader;
  private final Function<T, String> summary;
  private final Logger log;
  private final InputFiles.PermissionWarnings warnings;
  private final Runnable listener;
  private final Guard<T> guard;
  private volatile T current;

  // Guarded by this.
  private List<InputFiles.Input> inputs;
  private byte[] attempted;
  private byte @Nullable [] pending;
  private @Nullable ScheduledFuture<?> task;

  /**
   * Loads the first version.
   *
   * @param what names the owner in logs, e.g. {@code "Header provider 'configured-headers'"}
   * @param summary describes a version in logs, without values
   * @param guard decides whether a reloaded version may replace the current one
   * @param listener called after every successful reload (not after the first load)
   * @throws HeaderConfigException if the first load fails
   */
  public Reloader(
      String what,
      Loader<T> loader,
      Function<T, String> summary,
      Guard<T> guard,
      Logger log,
      Runnable listener) {
    this.what = what;
    this.guard = guard;
    this.loader = loader;
    this.summary = summary;
    this.log = log;
    this.listener = listener;
    this.warnings = new InputFiles.PermissionWarnings(log);
    InputFiles files = new InputFiles(warnings);
    this.current = loader.load(files);
    this.inputs = files.inputs();
    this.attempted = files.fingerprint();
  }

  /** Returns the current version. */
  public T current() {
    return current;
  }

  /**
   * Loads the configuration again now and installs it; if it is broken or the guard refuses it,
   * keeps the current version and logs the error (once for the same content).
   *
   * @return whether a new version was installed
   */
  public synchronized boolean reload() {
    return load(null);
  }

  /**
   * Reloads when the files changed since the last load and read the same at the previous check, and
   * installs the new version only if the load read exactly that content: a file rewritten in place
   * while it is read (truncated, half-written) is never used, the next checks wait for it to
   * settle.
   *
   * @return whether a new version was installed
   */
  public synchronized boolean checkForChanges() {
    byte[] now = InputFiles.fingerprintNow(inputs);
    if (Arrays.equals(now, attempted)) {
      pending = null;
      return false;
    }
    if (!Arrays.equals(now, pending)) {
      pending = now;
      return false;
    }
    return load(now);
  }

  /**
   * Loads and installs a version.
   *
   * @param expected the fingerprint the files had at the last two checks; the load is used only if
   *     it read exactly that (same files, same content). {@code null} for an explicit reload.
   */
  private boolean load(byte @Nullable [] expected) {
    pending = null;
    InputFiles files = new InputFiles(warnings);
    T loaded = null;
    String problem = null;
    try {
      loaded = loader.load(files);
    } catch (HeaderConfigException e) {
      problem = e.getMessage();
    }
    byte[] fingerprint = files.fingerprint();
    inputs = files.inputs();
    if (expected != null && !Arrays.equals(fingerprint, expected)) {
      // The files changed while they were read (a writer truncated or rewrote one in place), or
      // the new version references other secret files: not a content two checks agreed on. Wait
      // until it reads the same again; an error is logged only for content that settled.
      pending = fingerprint;
      return false;
    }
    if (loaded != null) {
      problem = guard.refusal(current, loaded);
    }
    if (loaded == null || problem != null) {
      if (!Arrays.equals(fingerprint, attempted)) {
        log.error("{} keeps its previous headers: {}", what, problem);
      }
      attempted = fingerprint;
      return false;
    }
    attempted = fingerprint;
    current = loaded;
    log.info("{} reloaded {}", what, summary.apply(loaded));
    listener.run();
    return true;
  }

  /**
   * Checks for changes every {@code interval} on {@code scheduler} (or on a shared daemon thread
   * when {@code null}), until {@link #close()}. Does nothing when no file was read or the interval
   * is zero.
   */
  public synchronized void start(@Nullable ScheduledExecutorService scheduler, Duration interval) {
    if (task != null || inputs.isEmpty() || interval.isZero() || interval.isNegative()) {
      return;
    }
    ScheduledExecutorService executor = scheduler != null ? scheduler : SharedScheduler.INSTANCE;
    long millis = Math.max(1, interval.toMillis());
    task =
        executor.scheduleWithFixedDelay(
            this::checkInBackground, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Returns whether background checks are scheduled. */
  public synchronized boolean isWatching() {
    return task != null;
  }

  private void checkInBackground() {
    try {
      checkForChanges();
    } catch (RuntimeException e) {
      // Not the message: an unexpected exception is not known to be free of values.
      log.error("{} could not check its files for changes ({})", what, e.getClass().getName());
    }
  }

  /** Stops the background checks. */
  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** One daemon thread shared by every provider that was given no scheduler. */
  private static final class SharedScheduler {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "mcprunner-header-config-reload");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
