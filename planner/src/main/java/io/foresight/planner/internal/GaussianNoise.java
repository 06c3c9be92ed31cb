package io.foresight.planner.internal;

/**
 * A seeded source of standard normal floats for the sampling planners: xoroshiro128++ (Blackman and
 * Vigna) for the bits, the 128-layer ziggurat of Marsaglia and Tsang (2000) for the shape, with the
 * layer index and the value taken from different bits of each 64-bit draw (Doornik 2005). The same
 * seed gives the same sequence on every JVM.
 *
 * <p>Why not {@link java.util.SplittableRandom#nextGaussian()}: a plan draws 3,840 normals at the
 * shipped settings, and that call (a double ziggurat behind two virtual calls) took about 6-12 ns
 * per normal here; {@link #fill} fuses the draw with the scale, shift and clip of a whole sample
 * and keeps the generator in registers (KernelBenchmark.sample against sampleBaseline, see
 * docs/benchmarks.md). Not thread-safe.
 */
public final class GaussianNoise {
  private static final int LAYERS = 128;
  private static final double R = 3.442619855899;
  private static final double V = 9.91256303526217e-3;
  private static final double M = 2147483648.0;

  /** {@code |hz| < K[i]}: inside layer {@code i}'s rectangle, accept {@code hz * W[i]}. */
  private static final int[] K = new int[LAYERS];

  private static final float[] W = new float[LAYERS];
  private static final float[] F = new float[LAYERS];

  static {
    double dn = R;
    double tn = dn;
    double q = V / Math.exp(-0.5 * dn * dn);
    K[0] = (int) ((dn / q) * M);
    K[1] = 0;
    W[0] = (float) (q / M);
    W[LAYERS - 1] = (float) (dn / M);
    F[0] = 1f;
    F[LAYERS - 1] = (float) Math.exp(-0.5 * dn * dn);
    for (int i = LAYERS - 2; i >= 1; i--) {
      dn = Math.sqrt(-2.0 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
      K[i + 1] = (int) ((dn / tn) * M);
      tn = dn;
      F[i] = (float) Math.exp(-0.5 * dn * dn);
      W[i] = (float) (dn / M);
    }
  }

  private long s0;
  private long s1;

  /** A source seeded with {@code seed} (expanded by SplitMix64, so any seed is fine). */
  public GaussianNoise(long seed) {
    long z = seed;
    z += 0x9e3779b97f4a7c15L;
    s0 = mix(z);
    z += 0x9e3779b97f4a7c15L;
    s1 = mix(z);
    if ((s0 | s1) == 0) {
      s1 = 1;
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The next 64 random bits. */
  public long nextLong() {
    long a = s0;
    long b = s1;
    long r = Long.rotateLeft(a + b, 17) + a;
    b ^= a;
    s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
    s1 = Long.rotateLeft(b, 28);
    return r;
  }

  /** A uniform double in (0, 1]. */
  private double nextUniform() {
    return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
  }

  /** The next standard normal. */
  public float next() {
    long bits = nextLong();
    int hz = (int) (bits >>> 32);
    int iz = (int) bits & (LAYERS - 1);
    if (Math.abs(hz) < K[iz]) {
      return hz * W[iz];
    }
    return slow(hz, iz);
  }

  /**
   * Writes {@code clamp(mean[j] + std[j] * z, lo[j % lo.length], hi[j % hi.length])} to {@code
   * out[off + j]} for {@code j} in {@code [0, len)}: one sample's noise, scale and clipping in one
   * pass. {@code lo} and {@code hi} have one bound per action dimension; {@code len} is a multiple
   * of their length.
   */
  public void fill(
      float[] out, int off, int len, float[] mean, float[] std, float[] lo, float[] hi) {
    // One flat loop with the generator's state in locals (7.4 against 9-10 ns per normal for a
    // loop per action dimension calling nextLong(), thread CPU time on the build machine).
    int adim = lo.length;
    int a = 0;
    long x0 = s0;
    long x1 = s1;
    for (int j = 0; j < len; j++) {
      long r = Long.rotateLeft(x0 + x1, 17) + x0;
      long b = x1 ^ x0;
      x0 = Long.rotateLeft(x0, 49) ^ b ^ (b << 21);
      x1 = Long.rotateLeft(b, 28);
      int hz = (int) (r >>> 32);
      int iz = (int) r & (LAYERS - 1);
      float z;
      if (Math.abs(hz) < K[iz]) {
        z = hz * W[iz];
      } else {
        s0 = x0;
        s1 = x1;
        z = slow(hz, iz);
        x0 = s0;
        x1 = s1;
      }
      float v = mean[j] + std[j] * z;
      float l = lo[a];
      float h = hi[a];
      out[off + j] = v < l ? l : (v > h ? h : v);
      if (++a == adim) {
        a = 0;
      }
    }
    s0 = x0;
    s1 = x1;
  }

  /** Outside the layer's rectangle: the wedge, the base strip's tail, or another draw. */
  private float slow(int hz, int iz) {
    while (true) {
      float x = hz * W[iz];
      if (iz == 0) {
        // The tail beyond R (Marsaglia's method).
        double tx;
        double ty;
        do {
          tx = -Math.log(nextUniform()) / R;
          ty = -Math.log(nextUniform());
        } while (ty + ty < tx * tx);
        return (float) (hz > 0 ? R + tx : -R - tx);
      }
      if (F[iz] + nextUniform() * (F[iz - 1] - F[iz]) < Math.exp(-0.5 * x * x)) {
        return x;
      }
      long bits = nextLong();
      hz = (int) (bits >>> 32);
      iz = (int) bits & (LAYERS - 1);
      if (Math.abs(hz) < K[iz]) {
        return hz * W[iz];
      }
    }
  }
}
