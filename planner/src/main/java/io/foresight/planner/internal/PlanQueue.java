package io.foresight.planner.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The world-model operator's plan requests: at most one waiting per stream, the newest. A request
 * offered for a stream that already has one waiting replaces it in place (the stream keeps its
 * turn) and carries the count of requests it replaced; a stream with a plan running is not handed
 * out again until that plan is {@link #done}. So the queue never holds more entries than there are
 * streams, a stream's plans are made one at a time and in order, and every plan starts from the
 * newest latent its stream had when planning began.
 *
 * <p>Requests are handed out in turn (the order their streams first asked since they were last
 * handed out), except that a request which has waited longer than the staleness limit yields to the
 * first fresher one behind it: under overload the planner threads go to the requests whose latents
 * are still recent, and a stale request keeps its turn, so its stream's next latent, which replaces
 * it, is handed out first. When every waiting request is stale, the most recent of them is handed
 * out: a planner thread never idles while a request waits, and the oldest ones are the first to be
 * replaced by their streams' next latents. A limit of 0 keeps strict turns.
 *
 * <p>Thread-safe: the task thread offers and removes, the planner threads take.
 *
 * @param <R> the request type
 */
public final class PlanQueue<R> {

  /** A request as handed out: what was offered last, and how many offers it replaced. */
  public record Taken<R>(String stream, R request, long skipped, long offeredNanos) {}

  private record Waiting<R>(R request, long skipped, long offeredNanos) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final LinkedHashMap<String, Waiting<R>> waiting = new LinkedHashMap<>();
  private final Set<String> running = new HashSet<>();
  private final long staleNanos;
  private final LongSupplier clock;
  private long passedOver;
  private boolean closed;
  private boolean held;
  private int unsettled;

  /** Threads inside {@link #take(int)} now. */
  private int takers;

  /** A queue with strict turns. */
  public PlanQueue() {
    this(Duration.ZERO);
  }

  /**
   * A queue whose requests that waited longer than {@code stale} yield to fresher ones.
   *
   * @param stale the staleness limit; zero keeps strict turns
   */
  public PlanQueue(Duration stale) {
    this(stale, System::nanoTime);
  }

  /** As {@link #PlanQueue(Duration)}, on the given clock (nanoseconds; tests). */
  public PlanQueue(Duration stale, LongSupplier clock) {
    if (stale.isNegative()) {
      throw new IllegalArgumentException("the staleness limit must be >= 0, got " + stale);
    }
    this.staleNanos = stale.toNanos();
    this.clock = clock;
  }

  /**
   * Offers the newest request of a stream.
   *
   * @return how many requests of this stream the new one replaced without their being planned (0
   *     when none was waiting)
   */
  public long offer(String stream, R request) {
    lock.lock();
    try {
      Waiting<R> old = waiting.get(stream);
      long skipped = old == null ? 0 : old.skipped + 1;
      waiting.put(stream, new Waiting<>(request, skipped, clock.getAsLong()));
      ready.signal();
      return old == null ? 0 : 1;
    } finally {
      lock.unlock();
    }
  }

  /** Drops the request waiting for a stream, if any (its goal was cancelled, it went idle). */
  public void remove(String stream) {
    lock.lock();
    try {
      waiting.remove(stream);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The oldest waiting request of a stream with no plan running, waiting for one; null once the
   * queue is closed. The stream counts as running until {@link #done}.
   */
  public Taken<R> take() throws InterruptedException {
    List<Taken<R>> one = take(1);
    return one.isEmpty() ? null : one.get(0);
  }

  /**
   * Up to {@code max} waiting requests (of different streams with no plan running), waiting for at
   * least one; empty once the queue is closed. They are handed out in the order {@link #take()}
   * would hand them out one by one, and a taker takes only its share of what waits: the waiting
   * requests divided among the takers waiting now (itself included), rounded up. So idle planner
   * threads split a burst of requests between them, and a thread that finds the others busy takes
   * as many as it may. Each stream counts as running until {@link #done}.
   */
  public List<Taken<R>> take(int max) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("take at least one request, not " + max);
    }
    lock.lock();
    takers++;
    try {
      while (true) {
        if (closed) {
          return List.of();
        }
        if (held) {
          ready.await();
          continue;
        }
        int available = available();
        if (available > 0) {
          int share = Math.min(max, (available + takers - 1) / takers);
          List<Taken<R>> out = new ArrayList<>(share);
          for (int i = 0; i < share; i++) {
            out.add(next());
          }
          if (available > share) {
            ready.signal();
          }
          return out;
        }
        ready.await();
      }
    } finally {
      takers--;
      lock.unlock();
    }
  }

  /** How many waiting requests could be handed out now (their streams have no plan running). */
  private int available() {
    if (running.isEmpty()) {
      return waiting.size();
    }
    int n = 0;
    for (String stream : waiting.keySet()) {
      if (!running.contains(stream)) {
        n++;
      }
    }
    return n;
  }

  /** Hands out the next request ({@link #available} > 0; under the lock). */
  private Taken<R> next() {
    Map.Entry<String, Waiting<R>> first = null;
    Map.Entry<String, Waiting<R>> newest = null;
    Map.Entry<String, Waiting<R>> chosen = null;
    long now = staleNanos > 0 ? clock.getAsLong() : 0;
    for (Map.Entry<String, Waiting<R>> e : waiting.entrySet()) {
      if (running.contains(e.getKey())) {
        continue;
      }
      if (first == null) {
        first = e;
      }
      if (staleNanos == 0 || now - e.getValue().offeredNanos <= staleNanos) {
        chosen = e;
        break;
      }
      if (newest == null || e.getValue().offeredNanos > newest.getValue().offeredNanos) {
        newest = e;
      }
    }
    if (chosen == null) {
      chosen = newest;
    }
    if (chosen != first) {
      passedOver++;
    }
    String stream = chosen.getKey();
    Waiting<R> w = waiting.remove(stream);
    running.add(stream);
    unsettled++;
    return new Taken<>(stream, w.request, w.skipped, w.offeredNanos);
  }

  /** Marks a stream's plan as finished: its next request can be handed out. */
  public void done(String stream) {
    lock.lock();
    try {
      running.remove(stream);
      if (waiting.containsKey(stream)) {
        ready.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Holds back (true) or lets go (false) every request: while held, takers wait and offers pile up
   * as they would behind busy planner threads (tests).
   */
  public void hold(boolean hold) {
    lock.lock();
    try {
      held = hold;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks a taken request as finished with on the task thread (its plan emitted or dropped): only
   * then does {@link #busy} stop counting it, so a task thread waiting for quiet cannot miss a plan
   * whose hand-over is still on its way.
   */
  public void settled() {
    lock.lock();
    try {
      unsettled--;
    } finally {
      lock.unlock();
    }
  }

  /** How many times a stale request was passed over for a fresher one, since the start. */
  public long passedOver() {
    lock.lock();
    try {
      return passedOver;
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting now. */
  public int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Threads waiting in {@link #take(int)} now (tests). */
  public int takers() {
    lock.lock();
    try {
      return takers;
    } finally {
      lock.unlock();
    }
  }

  /** Plans running now. */
  public int running() {
    lock.lock();
    try {
      return running.size();
    } finally {
      lock.unlock();
    }
  }

  /** true while a request waits, or a taken one is not {@link #settled} yet. */
  public boolean busy() {
    lock.lock();
    try {
      return !waiting.isEmpty() || unsettled > 0;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every taker with null and refuses nothing further (offers are ignored by takers). */
  public void close() {
    lock.lock();
    try {
      closed = true;
      waiting.clear();
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
