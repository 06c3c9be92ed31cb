package io.foresight.planner.internal;

/**
 * Distance kernels over flat float arrays. Four independent partial sums instead of one: a single
 * running float sum is a chain of dependent adds the JIT may not reorder (nor vectorise), and at
 * the planner's sizes (32 floats, 640 distances per iteration) the chain, not the arithmetic, was
 * the cost (JMH {@code PlanBenchmark.costEvaluate}, docs/benchmarks.md). The sums differ from a
 * left-to-right sum only by rounding.
 */
public final class Distances {
  private Distances() {}

  /** The squared Euclidean distance between {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
  public static float squaredL2(float[] a, int aOff, float[] b, int bOff, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      float d0 = a[aOff + i] - b[bOff + i];
      float d1 = a[aOff + i + 1] - b[bOff + i + 1];
      float d2 = a[aOff + i + 2] - b[bOff + i + 2];
      float d3 = a[aOff + i + 3] - b[bOff + i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < n; i++) {
      float d = a[aOff + i] - b[bOff + i];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The squared Euclidean distance, or any value above {@code bound} as soon as the partial sum
   * passes it (checked every 8 floats): for comparisons against a radius, where most candidates are
   * far. {@code result <= bound} exactly when the full squared distance is {@code <= bound} (up to
   * rounding of the sum's order).
   */
  public static float squaredL2Within(
      float[] a, int aOff, float[] b, int bOff, int n, float bound) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 7 < n; i += 8) {
      float d0 = a[aOff + i] - b[bOff + i];
      float d1 = a[aOff + i + 1] - b[bOff + i + 1];
      float d2 = a[aOff + i + 2] - b[bOff + i + 2];
      float d3 = a[aOff + i + 3] - b[bOff + i + 3];
      float d4 = a[aOff + i + 4] - b[bOff + i + 4];
      float d5 = a[aOff + i + 5] - b[bOff + i + 5];
      float d6 = a[aOff + i + 6] - b[bOff + i + 6];
      float d7 = a[aOff + i + 7] - b[bOff + i + 7];
      s0 += d0 * d0 + d4 * d4;
      s1 += d1 * d1 + d5 * d5;
      s2 += d2 * d2 + d6 * d6;
      s3 += d3 * d3 + d7 * d7;
      float s = (s0 + s1) + (s2 + s3);
      if (s > bound) {
        return s;
      }
    }
    for (; i < n; i++) {
      float d = a[aOff + i] - b[bOff + i];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The L1 distance between {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
  public static float l1(float[] a, int aOff, float[] b, int bOff, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += Math.abs(a[aOff + i] - b[bOff + i]);
      s1 += Math.abs(a[aOff + i + 1] - b[bOff + i + 1]);
      s2 += Math.abs(a[aOff + i + 2] - b[bOff + i + 2]);
      s3 += Math.abs(a[aOff + i + 3] - b[bOff + i + 3]);
    }
    for (; i < n; i++) {
      s0 += Math.abs(a[aOff + i] - b[bOff + i]);
    }
    return (s0 + s1) + (s2 + s3);
  }
}
