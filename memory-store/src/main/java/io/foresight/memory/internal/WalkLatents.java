package io.foresight.memory.internal;

import java.util.Random;

/**
 * A robot wandering in the 2-D two-room world, encoded into {@code dim} values by a fixed random
 * smooth map of its position and velocity plus noise: the "walk" data of {@code bench memory}, one
 * state per call. Latents on a low-dimensional manifold, as a world model's encoder gives them;
 * i.i.d. values made the HNSW builder take most of a core, which real latents do not.
 */
public final class WalkLatents {
  private static final int FEATURES = 4;
  private final double[][] w;
  private final double[] b;
  private final float[] z;
  private double x;
  private double y;
  private double vx;
  private double vy;

  /** A walk from a random start ({@code start} gives x, then y). */
  public WalkLatents(int dim, Random start) {
    Random map = new Random(1234);
    w = new double[dim][FEATURES];
    b = new double[dim];
    for (int j = 0; j < dim; j++) {
      for (int f = 0; f < FEATURES; f++) {
        w[j][f] = map.nextGaussian() * 3;
      }
      b[j] = map.nextDouble() * 2 * Math.PI;
    }
    z = new float[dim];
    x = start.nextDouble();
    y = start.nextDouble();
  }

  /** Moves the robot to a new random place ({@code r} gives x, then y); its velocity stays. */
  public void restart(Random r) {
    x = r.nextDouble();
    y = r.nextDouble();
  }

  /** The next state's latent (the same array every call), with noise from {@code r}. */
  public float[] next(Random r) {
    vx = 0.9 * vx + 0.01 * r.nextGaussian();
    vy = 0.9 * vy + 0.01 * r.nextGaussian();
    x = Math.min(1, Math.max(0, x + vx));
    y = Math.min(1, Math.max(0, y + vy));
    if (Math.abs(x - 0.5) < 0.01 && (y < 0.4 || y > 0.6)) {
      x -= 2 * vx;
      vx = -vx;
    }
    double[] s = {x, y, vx * 20, vy * 20};
    for (int j = 0; j < z.length; j++) {
      double a = b[j];
      for (int f = 0; f < FEATURES; f++) {
        a += w[j][f] * s[f];
      }
      z[j] = (float) (Math.cos(a) + 0.05 * r.nextGaussian());
    }
    return z;
  }
}
