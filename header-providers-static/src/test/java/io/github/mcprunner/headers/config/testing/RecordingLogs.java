package io.github.mcprunner.headers.config.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A small SLF4J binding for the tests: keeps every log event in memory (formatted, with the stack
 * trace text of its throwable), at TRACE for every logger but Jetty's (the embedded test server's,
 * at INFO), so tests can assert what was logged and that no secret was. Nothing is printed.
 */
public final class RecordingLogs implements SLF4JServiceProvider {

  /**
   * One formatted log event.
   *
   * @param level the level
   * @param logger the logger name
   * @param text the formatted message followed by the throwable's stack trace, if any
   */
  public record Event(Level level, String logger, String text) {}

  private static final Queue<Event> EVENTS = new ConcurrentLinkedQueue<>();

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Returns the events recorded since the last {@link #clear()}. */
  public static List<Event> events() {
    return List.copyOf(EVENTS);
  }

  /** Returns the recorded events of {@code level}. */
  public static List<Event> events(Level level) {
    List<Event> result = new ArrayList<>();
    for (Event event : EVENTS) {
      if (event.level() == level) {
        result.add(event);
      }
    }
    return result;
  }

  /** Returns all recorded text joined, for "never contains" checks. */
  public static String allText() {
    StringBuilder out = new StringBuilder();
    for (Event event : EVENTS) {
      out.append(event.text()).append('\n');
    }
    return out.toString();
  }

  /** Forgets the recorded events. */
  public static void clear() {
    EVENTS.clear();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return name -> loggers.computeIfAbsent(name, RecordingLogger::new);
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final boolean verbose;

    RecordingLogger(String name) {
      this.name = name;
      // The embedded test server's Jetty logs tens of thousands of DEBUG lines per test: kept at
      // INFO. Every other logger (the library, the MCP SDK, the transports) records TRACE.
      this.verbose = !name.startsWith("org.eclipse.jetty.");
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return RecordingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level,
        @Nullable Marker marker,
        String messagePattern,
        Object @Nullable [] arguments,
        @Nullable Throwable throwable) {
      StringBuilder text =
          new StringBuilder(MessageFormatter.basicArrayFormat(messagePattern, arguments));
      for (Throwable t = throwable; t != null; t = t.getCause()) {
        text.append("\n").append(t);
        for (StackTraceElement element : t.getStackTrace()) {
          text.append("\n\tat ").append(element);
        }
      }
      EVENTS.add(new Event(level, name, text.toString()));
    }

    @Override
    public boolean isTraceEnabled() {
      return verbose;
    }

    @Override
    public boolean isDebugEnabled() {
      return verbose;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
