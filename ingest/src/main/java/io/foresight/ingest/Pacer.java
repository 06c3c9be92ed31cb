package io.foresight.ingest;

/**
 * Paces a loop to a fixed rate on a schedule (tick {@code i} at {@code start + i / rate}), so that
 * slow ticks are caught up rather than accumulated. A rate of 0 never waits.
 */
public final class Pacer {
  private final double rate;
  private final long start = System.nanoTime();
  private long ticks;

  public Pacer(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0, got " + rate);
    }
    this.rate = rate;
  }

  /** Waits until the next tick is due. Returns false if interrupted. */
  public boolean awaitNext() {
    long due = start + (long) (ticks * 1e9 / Math.max(rate, 1e-9));
    ticks++;
    if (rate == 0) {
      return !Thread.currentThread().isInterrupted();
    }
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Nanoseconds until the next tick is due (0 or less when it is due or late, or at rate 0). */
  public long nanosUntilNext() {
    if (rate == 0) {
      return 0;
    }
    return start + (long) (ticks * 1e9 / rate) - System.nanoTime();
  }

  /** Seconds since this pacer was created. */
  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
