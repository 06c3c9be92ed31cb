package io.foresight.planner.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A spatial index over latents for radius queries: latents are projected on the three principal
 * directions of a sample and bucketed in a grid of cubes. Projection on orthonormal directions
 * never lengthens a distance, so every latent within {@code r} of a query lies in the cubes within
 * {@code r} of its projection: queries are exact, the caller checks the true distance.
 */
public final class LatentGrid {
  private static final int AXES = 3;

  private final int dim;
  private final float[] mean;
  private final float[] basis;
  private final float cell;
  private final Map<Long, int[]> cells = new HashMap<>();
  private final int axes;

  /**
   * An empty grid whose directions come from {@code sample} ({@code count} latents, flat).
   *
   * @param cell the cube side, in latent units (about the query radius works well)
   */
  public LatentGrid(float[] sample, int count, int dim, float cell) {
    this.dim = dim;
    this.cell = cell;
    this.axes = Math.min(AXES, dim);
    this.mean = new float[dim];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < dim; j++) {
        mean[j] += sample[i * dim + j] / count;
      }
    }
    double[] cov = new double[dim * dim];
    for (int i = 0; i < count; i++) {
      for (int a = 0; a < dim; a++) {
        double da = sample[i * dim + a] - mean[a];
        for (int b = a; b < dim; b++) {
          cov[a * dim + b] += da * (sample[i * dim + b] - mean[b]);
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < a; b++) {
        cov[a * dim + b] = cov[b * dim + a];
      }
    }
    this.basis = new float[axes * dim];
    for (int k = 0; k < axes; k++) {
      double[] v = new double[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = 1.0 + 0.01 * j * (k + 1);
      }
      for (int it = 0; it < 100; it++) {
        double[] w = new double[dim];
        for (int a = 0; a < dim; a++) {
          double s = 0;
          for (int b = 0; b < dim; b++) {
            s += cov[a * dim + b] * v[b];
          }
          w[a] = s;
        }
        // Deflate: stay orthogonal to the directions already found.
        for (int p = 0; p < k; p++) {
          double dot = 0;
          for (int j = 0; j < dim; j++) {
            dot += w[j] * basis[p * dim + j];
          }
          for (int j = 0; j < dim; j++) {
            w[j] -= dot * basis[p * dim + j];
          }
        }
        double norm = 0;
        for (double x : w) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm < 1e-12) {
          break;
        }
        for (int j = 0; j < dim; j++) {
          v[j] = w[j] / norm;
        }
      }
      for (int j = 0; j < dim; j++) {
        basis[k * dim + j] = (float) v[j];
      }
    }
  }

  /** Adds latent {@code id} stored at {@code data[off..off+dim)}. */
  public void add(int id, float[] data, int off) {
    long key = key(data, off);
    int[] list = cells.get(key);
    if (list == null) {
      list = new int[] {0, 0, 0, 0, 0};
      cells.put(key, list);
    } else if (list[0] + 1 == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
      cells.put(key, list);
    }
    list[++list[0]] = id;
  }

  /** Receives candidate ids. */
  @FunctionalInterface
  public interface Visitor {
    /** Visits one candidate. */
    void visit(int id);
  }

  /** Every id whose latent may lie within {@code radius} of {@code z[off..]} (a superset). */
  public void candidates(float[] z, int off, float radius, Visitor visitor) {
    int[] c = new int[axes];
    project(z, off, c);
    int reach = (int) Math.ceil(radius / cell);
    int[] o = new int[axes];
    int span = 2 * reach + 1;
    int total = 1;
    for (int a = 0; a < axes; a++) {
      total *= span;
    }
    for (int idx = 0; idx < total; idx++) {
      int rest = idx;
      for (int a = 0; a < axes; a++) {
        o[a] = c[a] + (rest % span) - reach;
        rest /= span;
      }
      int[] list = cells.get(pack(o));
      if (list != null) {
        for (int i = 1; i <= list[0]; i++) {
          visitor.visit(list[i]);
        }
      }
    }
  }

  private long key(float[] z, int off) {
    int[] c = new int[axes];
    project(z, off, c);
    return pack(c);
  }

  private void project(float[] z, int off, int[] out) {
    for (int a = 0; a < axes; a++) {
      float s = 0;
      for (int j = 0; j < dim; j++) {
        s += (z[off + j] - mean[j]) * basis[a * dim + j];
      }
      out[a] = (int) Math.floor(s / cell);
    }
  }

  private static long pack(int[] c) {
    long k = 0;
    for (int v : c) {
      k = k * 2_097_152L + (v + 1_048_576L);
    }
    return k;
  }
}
