package io.foresight.planner.internal;

/** The indices of the k smallest values of an array, without boxing or sorting everything. */
public final class TopK {
  private TopK() {}

  /**
   * Writes the indices of the {@code k} smallest of {@code values[0..n)} to {@code out[0..k)},
   * smallest first; of equal values the earlier index comes first. NaN counts as larger than every
   * number.
   */
  public static void smallest(float[] values, int n, int k, int[] out) {
    smallest(values, n, k, out, new float[Math.max(0, k)]);
  }

  /**
   * As {@link #smallest(float[], int, int, int[])}, with {@code keys} ({@code >= k}) as scratch.
   */
  public static void smallest(float[] values, int n, int k, int[] out, float[] keys) {
    if (k > n) {
      throw new IllegalArgumentException("asked for " + k + " smallest of " + n + " values");
    }
    if (k <= 0) {
      return;
    }
    // Insertion into a sorted prefix; the kept keys live in their own array instead of being
    // re-read through out[] and re-checked for NaN on every comparison.
    int filled = 0;
    float worst = Float.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = values[i];
      if (v != v) {
        v = Float.POSITIVE_INFINITY;
      }
      int j;
      if (filled < k) {
        j = filled++;
      } else if (v < worst) {
        j = k - 1;
      } else {
        continue;
      }
      while (j > 0 && v < keys[j - 1]) {
        keys[j] = keys[j - 1];
        out[j] = out[j - 1];
        j--;
      }
      keys[j] = v;
      out[j] = i;
      if (filled == k) {
        worst = keys[k - 1];
      }
    }
  }
}
