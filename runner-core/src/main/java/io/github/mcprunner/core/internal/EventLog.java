package io.github.mcprunner.core.internal;

import io.github.mcprunner.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events of one streamed run, replayed to every subscriber from the first event, with Reactive
 * Streams demand honoured per subscriber, so a subscriber that arrives after the run started misses
 * nothing. Bounded by the run itself. Not public API.
 */
final class EventLog implements Flow.Publisher<RunEvent> {
  private final List<RunEvent> events = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private boolean complete;

  /** Appends {@code event} and delivers it to subscribers with demand. */
  void publish(RunEvent event) {
    List<Subscription> targets;
    synchronized (this) {
      if (complete) {
        return;
      }
      events.add(event);
      complete = event instanceof RunEvent.RunFinished || event instanceof RunEvent.RunFailed;
      targets = new ArrayList<>(subscriptions);
    }
    for (Subscription subscription : targets) {
      subscription.drain();
    }
  }

  @Override
  public void subscribe(Flow.Subscriber<? super RunEvent> subscriber) {
    Subscription subscription = new Subscription(subscriber);
    synchronized (this) {
      subscriptions.add(subscription);
    }
    subscriber.onSubscribe(subscription);
    subscription.drain();
  }

  private synchronized int size() {
    return events.size();
  }

  private synchronized RunEvent get(int index) {
    return events.get(index);
  }

  private synchronized boolean isComplete() {
    return complete;
  }

  private synchronized void remove(Subscription subscription) {
    subscriptions.remove(subscription);
  }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super RunEvent> subscriber;
    private final AtomicInteger wip = new AtomicInteger();
    private long requested;
    private int next;
    private volatile boolean cancelled;
    private boolean done;

    Subscription(Flow.Subscriber<? super RunEvent> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request must be positive, was " + n));
        return;
      }
      synchronized (this) {
        requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
      }
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      remove(this);
    }

    void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        while (!cancelled && !done) {
          boolean emit;
          synchronized (this) {
            emit = requested > 0 && next < size();
            if (emit) {
              requested--;
            }
          }
          if (emit) {
            subscriber.onNext(get(next++));
          } else {
            if (next >= size() && isComplete()) {
              done = true;
              remove(this);
              subscriber.onComplete();
            }
            break;
          }
        }
      } while (wip.decrementAndGet() != 0);
    }
  }
}
