package io.foresight.planner.internal;

import java.util.Arrays;

/** Small statistics helpers for evaluation and benchmark reports. */
public final class Stats {
  private Stats() {}

  /** The q-quantile (0..1) of values by nearest rank; NaN when empty. */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(q * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))];
  }

  /** The mean; NaN when empty. */
  public static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /** Rounds to {@code digits} decimals, for readable reports. */
  public static double round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
