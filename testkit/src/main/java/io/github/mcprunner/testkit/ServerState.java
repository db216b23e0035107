package io.github.mcprunner.testkit;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The mutable state of one embedded server, shared by the recording filter, the default tools and
 * the {@link EmbeddedMcpServer} controls: the request log, known and expired sessions, open event
 * streams, injected failures, the request delay and the gate of the {@code block} tool.
 */
final class ServerState {

  /** How long the {@code block} tool waits at most. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(30);

  /** What a blocked call ended with. */
  enum BlockOutcome {
    RELEASED,
    STOPPED,
    TIMED_OUT
  }

  /** One request, filled in while the server answers it. */
  static final class Entry {
    private final String httpMethod;
    private final String path;
    private final @Nullable String query;
    private final JsonRpcPeek peek;
    private final Map<String, List<String>> headers;
    private final @Nullable String sessionId;
    private final String body;
    private volatile int status;
    // The response while the request is in the filter: a committed status is already final.
    private volatile @Nullable HttpServletResponse live;

    Entry(
        String httpMethod,
        String path,
        @Nullable String query,
        JsonRpcPeek peek,
        Map<String, List<String>> headers,
        @Nullable String sessionId,
        String body) {
      this.httpMethod = httpMethod;
      this.path = path;
      this.query = query;
      this.peek = peek;
      this.headers = headers;
      this.sessionId = sessionId;
      this.body = body;
    }

    private int currentStatus() {
      int answered = status;
      HttpServletResponse response = live;
      if (answered != 0 || response == null) {
        return answered;
      }
      try {
        return response.isCommitted() ? response.getStatus() : 0;
      } catch (RuntimeException finishedMeanwhile) {
        return status;
      }
    }

    RecordedRequest toRecord() {
      return new RecordedRequest(
          httpMethod,
          path,
          query,
          peek.method(),
          peek.toolName(),
          peek.id(),
          headers,
          sessionId,
          currentStatus(),
          body);
    }
  }

  private record FailurePlan(int remaining, int status) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> liveSessions = ConcurrentHashMap.newKeySet();
  private final Set<String> expiredSessions = ConcurrentHashMap.newKeySet();
  private final Set<String> losingMethods = ConcurrentHashMap.newKeySet();
  private final Map<AsyncContext, String> openStreams = new ConcurrentHashMap<>();
  private final AtomicReference<FailurePlan> failures =
      new AtomicReference<>(new FailurePlan(0, 0));
  private final Object delayLock = new Object();
  private Duration requestDelay = Duration.ZERO; // guarded by delayLock
  private final CountDownLatch stopped = new CountDownLatch(1);

  private final Object blockLock = new Object();
  private long blockGeneration;
  private int blockedCalls;

  // ---- request log

  private volatile boolean recording = true;

  void setRecording(boolean recording) {
    this.recording = recording;
  }

  Entry record(Entry entry, HttpServletResponse response) {
    entry.live = response;
    if (!recording) {
      return entry;
    }
    synchronized (entries) {
      entries.add(entry);
      entries.notifyAll();
    }
    return entry;
  }

  void answered(Entry entry, int status) {
    synchronized (entries) {
      entry.status = status;
      entry.live = null;
      entries.notifyAll();
    }
  }

  /** Waits until a recorded request matches, for at most {@code timeout}. */
  Optional<RecordedRequest> awaitRequest(Predicate<RecordedRequest> matching, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (entries) {
      while (true) {
        for (Entry entry : entries) {
          RecordedRequest request = entry.toRecord();
          if (matching.test(request)) {
            return Optional.of(request);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(entries, left);
      }
    }
  }

  List<RecordedRequest> requests() {
    List<Entry> copy;
    synchronized (entries) {
      copy = new ArrayList<>(entries);
    }
    List<RecordedRequest> records = new ArrayList<>(copy.size());
    for (Entry entry : copy) {
      records.add(entry.toRecord());
    }
    return List.copyOf(records);
  }

  void clearRequests() {
    synchronized (entries) {
      entries.clear();
    }
  }

  // ---- sessions

  void sessionSeen(String sessionId) {
    if (!expiredSessions.contains(sessionId)) {
      liveSessions.add(sessionId);
    }
  }

  boolean isExpired(String sessionId) {
    return expiredSessions.contains(sessionId);
  }

  void loseSessionsAt(String mcpMethod) {
    losingMethods.add(mcpMethod);
  }

  /**
   * Forgets {@code sessionId} when {@code mcpMethod} is one the server loses its sessions at; the
   * request is then answered 404 like every later one of that session.
   */
  void requestOnSession(String sessionId, @Nullable String mcpMethod) {
    if (mcpMethod != null && losingMethods.contains(mcpMethod)) {
      expiredSessions.add(sessionId);
      liveSessions.remove(sessionId);
    }
  }

  void streamOpened(AsyncContext stream, @Nullable String sessionId) {
    openStreams.put(stream, sessionId == null ? "" : sessionId);
  }

  void streamClosed(AsyncContext stream) {
    openStreams.remove(stream);
  }

  /**
   * Forgets every session known now and closes the event streams that belong to them; with {@code
   * closeAllStreams} (legacy SSE, where a stream's session id is not visible to the filter) every
   * open stream is closed.
   */
  void expireSessions(boolean closeAllStreams) {
    for (String sessionId : List.copyOf(liveSessions)) {
      expiredSessions.add(sessionId);
      liveSessions.remove(sessionId);
    }
    for (Map.Entry<AsyncContext, String> stream : List.copyOf(openStreams.entrySet())) {
      if (closeAllStreams || expiredSessions.contains(stream.getValue())) {
        openStreams.remove(stream.getKey());
        try {
          stream.getKey().complete();
        } catch (IllegalStateException alreadyDone) {
          // The stream ended on its own meanwhile.
        }
      }
    }
  }

  /** Closes every open event stream; sessions stay known. */
  void closeStreams() {
    for (AsyncContext stream : List.copyOf(openStreams.keySet())) {
      openStreams.remove(stream);
      try {
        stream.complete();
      } catch (IllegalStateException alreadyDone) {
        // The stream ended on its own meanwhile.
      }
    }
  }

  // ---- injected failures and delay

  void failNextRequests(int count, int httpStatus) {
    failures.set(new FailurePlan(count, httpStatus));
  }

  /** Returns the status to fail the current POST with, or 0 to handle it normally. */
  int takeFailure() {
    while (true) {
      FailurePlan plan = requireNonNull(failures.get()); // always holds a plan
      if (plan.remaining() <= 0) {
        return 0;
      }
      if (failures.compareAndSet(plan, new FailurePlan(plan.remaining() - 1, plan.status()))) {
        return plan.status();
      }
    }
  }

  void setRequestDelay(Duration delay) {
    synchronized (delayLock) {
      this.requestDelay = delay;
      delayLock.notifyAll();
    }
  }

  /**
   * Waits the request delay, or until the server stops. The delay is read again whenever it
   * changes, so a shorter delay set later also applies to requests already waiting.
   */
  void awaitRequestDelay() throws InterruptedException {
    long start = System.nanoTime();
    synchronized (delayLock) {
      while (!isStopped()) {
        long left = start + requestDelay.toNanos() - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(delayLock, left);
      }
    }
  }

  // ---- block tool

  BlockOutcome block() throws InterruptedException {
    synchronized (blockLock) {
      long generation = blockGeneration;
      long deadline = System.nanoTime() + MAX_BLOCK.toNanos();
      blockedCalls++;
      blockLock.notifyAll();
      try {
        while (true) {
          if (isStopped()) {
            return BlockOutcome.STOPPED;
          }
          if (blockGeneration != generation) {
            return BlockOutcome.RELEASED;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return BlockOutcome.TIMED_OUT;
          }
          TimeUnit.NANOSECONDS.timedWait(blockLock, left);
        }
      } finally {
        blockedCalls--;
      }
    }
  }

  void releaseBlocked() {
    synchronized (blockLock) {
      blockGeneration++;
      blockLock.notifyAll();
    }
  }

  int blockedCalls() {
    synchronized (blockLock) {
      return blockedCalls;
    }
  }

  boolean awaitBlockedCalls(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (blockLock) {
      while (blockedCalls < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(blockLock, left);
      }
      return true;
    }
  }

  // ---- lifecycle

  void stop() {
    stopped.countDown();
    synchronized (blockLock) {
      blockLock.notifyAll();
    }
    synchronized (delayLock) {
      delayLock.notifyAll();
    }
  }

  boolean isStopped() {
    return stopped.getCount() == 0;
  }
}
