package io.foresight.planner.internal;

/**
 * Distance kernels over flat float arrays, written as plain counted loops over one running sum: C2
 * vectorises exactly this shape. Four hand-split partial sums measured slower here (18.5 against
 * 12.5 us for one iteration's 640 distances of 32 floats, thread CPU time), so the sums are the
 * same left-to-right sums as before.
 */
public final class Distances {
  private Distances() {}

  /** The squared Euclidean distance between {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
  public static float squaredL2(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      float d = a[aOff + i] - b[bOff + i];
      s += d * d;
    }
    return s;
  }

  /**
   * The squared Euclidean distance, or a partial sum above {@code bound} as soon as one passes it
   * (checked every 8 floats): for comparisons against a radius or the current k-th nearest, where
   * most candidates are far. Below the bound the result is exactly {@link #squaredL2}.
   */
  public static float squaredL2Within(
      float[] a, int aOff, float[] b, int bOff, int n, float bound) {
    float s = 0f;
    for (int i0 = 0; i0 < n; i0 += 8) {
      int end = Math.min(n, i0 + 8);
      for (int i = i0; i < end; i++) {
        float d = a[aOff + i] - b[bOff + i];
        s += d * d;
      }
      if (s > bound) {
        return s;
      }
    }
    return s;
  }

  /** The L1 distance between {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
  public static float l1(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += Math.abs(a[aOff + i] - b[bOff + i]);
    }
    return s;
  }
}
