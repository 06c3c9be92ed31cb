package io.foresight.tools.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a set of durations in nanoseconds, for the benchmark report, read from an
 * HdrHistogram (3 significant digits: a percentile is within 0.1% of the sample's) like the robot
 * fleet's latencies; the mean and the max are exact.
 */
public final class LatencyStats {
  private static final int SIGNIFICANT_DIGITS = 3;

  private LatencyStats() {}

  /** p50, p99, mean and max in microseconds of the first {@code n} values. */
  public static Map<String, Object> summary(long[] nanos, int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", n);
    if (n == 0) {
      return m;
    }
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    double sum = 0;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long v = Math.max(0, nanos[i]);
      h.recordValue(v);
      sum += v;
      max = Math.max(max, v);
    }
    m.put("p50_us", round(h.getValueAtPercentile(50.0) / 1000.0));
    m.put("p99_us", round(h.getValueAtPercentile(99.0) / 1000.0));
    m.put("mean_us", round(sum / n / 1000.0));
    m.put("max_us", round(max / 1000.0));
    return m;
  }

  /** Three decimals. */
  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
