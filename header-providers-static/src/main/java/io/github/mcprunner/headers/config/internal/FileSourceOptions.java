package io.github.mcprunner.headers.config.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.config.SettingReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The plumbing both configured providers share: where the environment and system properties come
 * from, the settings the discovered instance reads (file, reload interval, removal of sections),
 * and the {@link Reloader} of their file. Their builders hold one each and delegate to it. Not
 * thread-safe (a builder's). Not public API.
 */
public final class FileSourceOptions {
  private @Nullable Map<String, String> environment;
  private @Nullable Map<String, String> systemProperties;
  private boolean autoConfigure;
  private @Nullable Duration reloadInterval;
  private @Nullable ScheduledExecutorService reloadScheduler;
  private Runnable reloadListener = () -> {};
  private @Nullable Boolean allowRemovingSections;

  /** Sets the environment (copied). */
  public void environment(Map<String, String> environment) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment"));
  }

  /** Sets the system properties (copied). */
  public void systemProperties(Map<String, String> systemProperties) {
    this.systemProperties = Map.copyOf(requireNonNull(systemProperties, "systemProperties"));
  }

  /** Reads the settings too. */
  public void autoConfigure() {
    this.autoConfigure = true;
  }

  /** Returns whether the settings are read. */
  public boolean autoConfigures() {
    return autoConfigure;
  }

  /**
   * Sets the interval of the checks for changes.
   *
   * @throws IllegalArgumentException if negative
   */
  public void reloadInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("reloadInterval must not be negative");
    }
    this.reloadInterval = interval;
  }

  /** Sets the scheduler of the checks. */
  public void reloadScheduler(ScheduledExecutorService scheduler) {
    this.reloadScheduler = requireNonNull(scheduler, "scheduler");
  }

  /** Sets the test hook called after every successful reload. */
  public void reloadListener(Runnable listener) {
    this.reloadListener = requireNonNull(listener, "listener");
  }

  /** Sets whether a reload may remove sections. */
  public void allowRemovingSections(boolean allow) {
    this.allowRemovingSections = allow;
  }

  /** Returns the environment: the one set, or the process's. */
  public Map<String, String> environment() {
    return environment != null ? environment : System.getenv();
  }

  /** Returns the system properties: the ones set, or a copy of the process's. */
  public Map<String, String> systemProperties() {
    return systemProperties != null ? systemProperties : Settings.systemProperties();
  }

  /**
   * Returns {@code file}, or, when it is null and the settings are read, the file the setting
   * {@code property} / {@code env} names.
   */
  public @Nullable Path file(
      @Nullable Path file,
      Map<String, String> environment,
      Map<String, String> systemProperties,
      String property,
      String env) {
    if (file != null || !autoConfigure) {
      return file;
    }
    Settings.Setting setting = Settings.get(environment, systemProperties, property, env);
    return setting == null ? null : SettingReader.path(setting.value(), setting.origin());
  }

  /** Returns the check interval: the one set, else the setting's (when read), else 10 s. */
  public Duration reloadInterval(
      Map<String, String> environment, Map<String, String> systemProperties) {
    if (reloadInterval != null) {
      return reloadInterval;
    }
    return autoConfigure
        ? Settings.reloadInterval(environment, systemProperties, Settings.DEFAULT_RELOAD_INTERVAL)
        : Settings.DEFAULT_RELOAD_INTERVAL;
  }

  /**
   * Loads the first version and starts the checks for changes.
   *
   * @param guard the guard that applies unless removing sections is allowed
   */
  public <T> Reloader<T> startReloader(
      String what,
      Reloader.Loader<T> loader,
      Function<T, String> summary,
      Reloader.Guard<T> guard,
      Logger log,
      Map<String, String> environment,
      Map<String, String> systemProperties) {
    boolean allowRemoving =
        allowRemovingSections != null
            ? allowRemovingSections
            : autoConfigure && Settings.allowRemovingSections(environment, systemProperties);
    Reloader<T> reloader =
        new Reloader<>(
            what,
            loader,
            summary,
            allowRemoving ? Reloader.Guard.none() : guard,
            log,
            reloadListener);
    reloader.start(reloadScheduler, reloadInterval(environment, systemProperties));
    return reloader;
  }
}
