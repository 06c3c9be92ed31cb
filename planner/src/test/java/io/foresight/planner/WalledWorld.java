package io.foresight.planner;

import java.util.Random;

/**
 * A pure-Java two-rooms toy whose latent is the agent's position: [0,1]^2, a wall at x in [0.45,
 * 0.55] with a door at y in [0.4, 0.6]; {@code z' = z + 0.05 a}, a move into the wall is refused.
 */
final class WalledWorld extends RowDynamics {
  static final float SPEED = 0.05f;

  private final float doorLow;
  private final float doorHigh;

  WalledWorld() {
    this(0.4f, 0.6f);
  }

  /** A world whose door spans {@code y} in [doorLow, doorHigh]. */
  WalledWorld(float doorLow, float doorHigh) {
    super(2, 2);
    this.doorLow = doorLow;
    this.doorHigh = doorHigh;
  }

  static boolean free(float x, float y) {
    return new WalledWorld().isFree(x, y);
  }

  boolean isFree(float x, float y) {
    if (x < 0 || x > 1 || y < 0 || y > 1) {
      return false;
    }
    return !(x >= 0.45f && x <= 0.55f && (y < doorLow || y > doorHigh));
  }

  static void move(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
    new WalledWorld().moveIn(z, zo, a, ao, out, oo);
  }

  @Override
  protected void next(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
    moveIn(z, zo, a, ao, out, oo);
  }

  void moveIn(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
    float x = z[zo] + SPEED * a[ao];
    float y = z[zo + 1] + SPEED * a[ao + 1];
    if (isFree(x, y)) {
      out[oo] = x;
      out[oo + 1] = y;
    } else {
      out[oo] = z[zo];
      out[oo + 1] = z[zo + 1];
    }
  }

  /** Random walks with momentum, the way training data is recorded. */
  static LandmarkGraph graph(int episodes, int steps, long seed) {
    LandmarkGraph.Builder b = LandmarkGraph.builder(2);
    new WalledWorld().record(b, episodes, steps, seed);
    return b.build();
  }

  void record(LandmarkGraph.Builder b, int episodes, int steps, long seed) {
    Random rnd = new Random(seed);
    for (int e = 0; e < episodes; e++) {
      float[][] ep = new float[steps][];
      float[] z;
      do {
        z = new float[] {rnd.nextFloat(), rnd.nextFloat()};
      } while (!isFree(z[0], z[1]));
      float[] a = {rnd.nextFloat() * 2 - 1, rnd.nextFloat() * 2 - 1};
      for (int t = 0; t < steps; t++) {
        ep[t] = z.clone();
        a[0] = clamp(0.8f * a[0] + 0.6f * (float) rnd.nextGaussian());
        a[1] = clamp(0.8f * a[1] + 0.6f * (float) rnd.nextGaussian());
        float[] nz = new float[2];
        moveIn(z, 0, a, 0, nz, 0);
        z = nz;
      }
      b.addEpisode(ep);
    }
  }

  private static float clamp(float v) {
    return Math.max(-1f, Math.min(1f, v));
  }
}
