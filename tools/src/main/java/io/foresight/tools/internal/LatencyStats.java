package io.foresight.tools.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of durations in nanoseconds, for the benchmark report. */
public final class LatencyStats {
  private LatencyStats() {}

  /** p50, p99, mean and max in microseconds of the first {@code n} values. */
  public static Map<String, Object> summary(long[] nanos, int n) {
    long[] s = Arrays.copyOf(nanos, n);
    Arrays.sort(s);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", n);
    if (n == 0) {
      return m;
    }
    double sum = 0;
    for (long v : s) {
      sum += v;
    }
    m.put("p50_us", round(percentile(s, 0.50) / 1000.0));
    m.put("p99_us", round(percentile(s, 0.99) / 1000.0));
    m.put("mean_us", round(sum / n / 1000.0));
    m.put("max_us", round(s[n - 1] / 1000.0));
    return m;
  }

  /** Nearest-rank percentile of sorted values. */
  public static long percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Three decimals. */
  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
