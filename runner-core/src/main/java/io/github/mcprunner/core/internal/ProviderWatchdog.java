package io.github.mcprunner.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Keeps header provider calls under their request's deadline and their run's cancellation, on the
 * caller's own thread: the chain {@linkplain #arm arms} the calling thread's {@link Watch} before
 * it calls the providers of one request and {@linkplain #disarm disarms} it after; one watchdog
 * thread per runner looks at the armed watches every {@value #TICK_MILLIS} ms and interrupts a
 * thread whose deadline passed, whose run was cancelled, or whose runner is closing. The caller
 * then fails the request, naming the provider that was running ({@link Watch#provider()}).
 *
 * <p>Arming and disarming cost a thread-local lookup and a few volatile writes, and allocate
 * nothing once a thread has its watch (HeaderChainBenchmark): no task is scheduled per request, and
 * no provider runs on another thread. The watchdog thread starts with the first armed call, parks
 * while nothing is armed, and ends with {@link #close()}.
 *
 * <p>A provider that ignores interrupts (a busy loop, a socket read without timeout) cannot be
 * stopped from outside; its run's failure still names it once it returns. Not public API.
 */
final class ProviderWatchdog implements AutoCloseable {

  static final long TICK_MILLIS = 20;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

  /** Why a watch fired. */
  enum Reason {
    /** Not fired. */
    NONE,
    /** The request's deadline passed while a provider ran. */
    DEADLINE,
    /** The run was cancelled while a provider ran. */
    CANCELLED,
    /** The runner is closing. */
    CLOSED
  }

  private static final int IDLE = 0;
  private static final int ARMED = 1;
  private static final int FIRING = 2;
  private static final int FIRED = 3;

  /** One thread's watch; reused for every request that thread resolves. */
  static final class Watch {
    private final Thread owner;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile long deadline;
    private volatile @Nullable RunScope scope;
    private volatile boolean followsCancel;
    private volatile int provider = -1;
    private volatile Reason reason = Reason.NONE;

    private Watch(Thread owner) {
      this.owner = owner;
    }

    /** Records which provider (the chain's index) is being called now. */
    void calling(int providerIndex) {
      provider = providerIndex;
    }

    /** Returns whether the watch fired (the thread is, or is about to be, interrupted). */
    boolean fired() {
      int now = state.get();
      return now == FIRING || now == FIRED;
    }

    /** Returns the index of the provider being (or last) called. */
    int provider() {
      return provider;
    }
  }

  private final String name;
  private final ThreadLocal<Watch> watches = ThreadLocal.withInitial(this::register);
  private final Set<Watch> all = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private @Nullable Thread thread;
  private volatile boolean sleeping;
  private volatile boolean closing;
  private volatile boolean closed;

  ProviderWatchdog(String name) {
    this.name = name;
  }

  private Watch register() {
    Watch watch = new Watch(Thread.currentThread());
    all.add(watch);
    synchronized (lock) {
      if (thread == null && !closed) {
        Thread started = new Thread(this::watch, name);
        started.setDaemon(true);
        thread = started;
        started.start();
      }
    }
    return watch;
  }

  /**
   * Arms the calling thread's watch for the providers of one request of {@code scope}, due by
   * {@code deadline} ({@link System#nanoTime()}).
   */
  Watch arm(RunScope scope, long deadline) {
    return arm(scope, deadline, true);
  }

  /**
   * Arms the calling thread's watch like {@link #arm(RunScope, long)}; when {@code followsCancel}
   * is false, the cancellation of {@code scope}'s run does not fire it (the deadline and the
   * runner's close still do).
   */
  Watch arm(RunScope scope, long deadline, boolean followsCancel) {
    Watch watch = watches.get();
    watch.scope = scope;
    watch.followsCancel = followsCancel;
    watch.deadline = deadline;
    watch.provider = -1;
    watch.reason = Reason.NONE;
    watch.state.set(ARMED);
    if (sleeping) {
      wake();
    }
    return watch;
  }

  /**
   * Disarms {@code watch}; returns why it fired, or {@link Reason#NONE}. When it fired, the
   * interrupt it sent is cleared from the calling thread, which belongs to the runner or the
   * caller.
   */
  Reason disarm(Watch watch) {
    if (watch.state.compareAndSet(ARMED, IDLE)) {
      watch.scope = null;
      return Reason.NONE;
    }
    while (watch.state.get() == FIRING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    Reason reason = watch.reason;
    watch.scope = null;
    watch.state.set(IDLE);
    return reason;
  }

  /**
   * Returns the index of the provider that a thread is calling now for {@code scope}, or -1. For
   * the blame of a request that timed out while its headers were being resolved.
   */
  int providerRunningFor(RunScope scope) {
    for (Watch watch : all) {
      if (watch.scope == scope && watch.state.get() != IDLE) {
        return watch.provider;
      }
    }
    return -1;
  }

  /** Interrupts every provider call in flight now ({@link Reason#CLOSED}); later calls run. */
  void interruptAll() {
    synchronized (lock) {
      if (thread == null || closed) {
        return;
      }
    }
    closing = true;
    wake();
    // The watchdog fires what is armed now and clears the flag.
    long until = System.nanoTime() + 10 * TICK_NANOS;
    while (closing && !closed && System.nanoTime() - until < 0) {
      LockSupport.parkNanos(TICK_NANOS / 4);
    }
  }

  /** Stops the watchdog thread; provider calls after this are not watched for deadlines. */
  @Override
  public void close() {
    Thread running;
    synchronized (lock) {
      closed = true;
      running = thread;
    }
    if (running != null) {
      LockSupport.unpark(running);
    }
  }

  private void wake() {
    Thread running = thread;
    if (running != null) {
      sleeping = false;
      LockSupport.unpark(running);
    }
  }

  private void watch() {
    while (!closed) {
      boolean closeNow = closing;
      boolean armed = scan(closeNow);
      if (closeNow) {
        closing = false;
      }
      if (armed) {
        LockSupport.parkNanos(this, TICK_NANOS);
        continue;
      }
      // Dekker with arm(): either arm() sees sleeping and unparks, or the second scan sees it.
      sleeping = true;
      if (!scan(false) && !closing && !closed) {
        LockSupport.park(this);
      }
      sleeping = false;
    }
  }

  /** Fires every armed watch that is due; returns whether any stays armed. */
  private boolean scan(boolean closeAll) {
    long now = System.nanoTime();
    boolean armed = false;
    for (Watch watch : all) {
      if (!watch.owner.isAlive()) {
        all.remove(watch);
        continue;
      }
      if (watch.state.get() != ARMED) {
        continue;
      }
      RunScope scope = watch.scope;
      Reason reason;
      if (closeAll) {
        reason = Reason.CLOSED;
      } else if (watch.followsCancel && scope != null && scope.isCancelled()) {
        reason = Reason.CANCELLED;
      } else if (now - watch.deadline >= 0) {
        reason = Reason.DEADLINE;
      } else {
        armed = true;
        continue;
      }
      if (watch.state.compareAndSet(ARMED, FIRING)) {
        watch.reason = reason;
        watch.owner.interrupt();
        watch.state.set(FIRED);
      }
    }
    return armed;
  }
}
