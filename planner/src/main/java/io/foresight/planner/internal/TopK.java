package io.foresight.planner.internal;

/** The indices of the k smallest values of an array, without boxing or sorting everything. */
public final class TopK {
  private TopK() {}

  /**
   * Writes the indices of the {@code k} smallest of {@code values[0..n)} to {@code out[0..k)},
   * smallest first. NaN counts as larger than every number.
   */
  public static void smallest(float[] values, int n, int k, int[] out) {
    int filled = 0;
    for (int i = 0; i < n; i++) {
      float v = values[i];
      if (Float.isNaN(v)) {
        v = Float.POSITIVE_INFINITY;
      }
      if (filled == k && !(v < key(values, out[k - 1]))) {
        continue;
      }
      int j = filled < k ? filled++ : k - 1;
      while (j > 0 && v < key(values, out[j - 1])) {
        out[j] = out[j - 1];
        j--;
      }
      out[j] = i;
    }
    if (filled < k) {
      throw new IllegalArgumentException("asked for " + k + " smallest of " + n + " values");
    }
  }

  private static float key(float[] values, int i) {
    float v = values[i];
    return Float.isNaN(v) ? Float.POSITIVE_INFINITY : v;
  }
}
