package io.foresight.ingest;

import java.util.function.Consumer;

/** Reports progress of a long run (records sent, rate) at most once per interval. */
public final class ProgressMeter {
  private final Consumer<String> out;
  private final long intervalNanos;
  private final String what;
  private final long start = System.nanoTime();
  private long last = start;
  private long lastCount;

  /**
   * @param out where progress lines go (null = nowhere)
   * @param intervalMs the interval; 0 = never report
   * @param what what is counted, e.g. "records"
   */
  public ProgressMeter(Consumer<String> out, long intervalMs, String what) {
    this.out = out;
    this.intervalNanos = intervalMs * 1_000_000L;
    this.what = what;
  }

  /** Reports if the interval has passed since the last report. */
  public void update(long count) {
    if (out == null || intervalNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - last < intervalNanos) {
      return;
    }
    double total = (now - start) / 1e9;
    double recent = (count - lastCount) / ((now - last) / 1e9);
    out.accept(
        String.format(
            "sent %,d %s in %.1f s (%.1f/s now, %.1f/s overall)",
            count, what, total, recent, count / total));
    last = now;
    lastCount = count;
  }

  /** Seconds since creation. */
  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
