package io.foresight.tools.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CPU seconds the JIT compiler threads of some JVMs have used, counted so that a thread that
 * ends does not take its time with it.
 *
 * <p>HotSpot starts compiler threads as its queue grows and stops them once idle ({@code
 * UseDynamicNumberOfCompilerThreads}), so the sum over the live threads ({@link
 * ProcessCpu#compilerThreadTicks}) can fall between two readings: the warm-up of {@code bench
 * streams} once read such a fall as 0 cores and stopped while the stack's compilers were still at
 * 0.1-0.2 cores. This keeps every compiler thread's newest reading, taken every {@code interval} in
 * the background and at each {@link #seconds} call, and sums them all; only what a thread used in
 * the last interval before it ended is lost (an ending thread has been idle for a while).
 */
final class CompilerCpu implements AutoCloseable {
  private final Map<Long, Map<Long, Long>> ticks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler;

  /** A tracker sampling every {@code intervalMs} milliseconds. */
  CompilerCpu(long intervalMs) {
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-compiler-cpu");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleWithFixedDelay(this::sampleAll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /**
   * The JIT CPU seconds of {@code pid} since it was first asked about, or NaN where {@code /proc}
   * cannot be read; from the first call on, the process is sampled in the background too.
   */
  double seconds(long pid) {
    if (!sample(pid)) {
      return Double.NaN;
    }
    long sum = 0;
    for (long v : ticks.get(pid).values()) {
      sum += v;
    }
    return sum / ProcessCpu.CLOCK_TICKS;
  }

  private boolean sample(long pid) {
    Map<Long, Long> now = ProcessCpu.compilerThreadTicks(pid);
    if (now == null) {
      return ticks.containsKey(pid);
    }
    Map<Long, Long> seen = ticks.computeIfAbsent(pid, k -> new ConcurrentHashMap<>());
    now.forEach((tid, t) -> seen.merge(tid, t, Math::max));
    return true;
  }

  private void sampleAll() {
    // A process that is gone keeps what it used.
    ticks.keySet().forEach(this::sample);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
