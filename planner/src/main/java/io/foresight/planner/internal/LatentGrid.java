package io.foresight.planner.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A spatial index over latents for radius queries: latents are projected on the three principal
 * directions of a sample and bucketed in a grid of cubes. Projection on orthonormal directions
 * never lengthens a distance, so every latent within {@code r} of a query lies in the cubes within
 * {@code r} of its projection: queries are exact, the caller checks the true distance.
 *
 * <p>Latents are added into a hash map of cubes; the first query after an add lays the cubes out
 * flat (an open-addressing table of primitive cube keys, the ids of each cube side by side with
 * their projections), so a query neither boxes a key nor chases a list per cube. Adds and queries
 * must not overlap; concurrent queries are fine.
 */
public final class LatentGrid {
  private static final int AXES = 3;

  /**
   * Directions kept per latent for a cheap lower bound of its distance to a query: of the ~280
   * candidates the grid's cubes gave per waypoint query on the shipped graph, ~4.5 lay within the
   * radius; the projected distance on 8 directions rules most out for 8 floats instead of 32.
   */
  private static final int FILTER_AXES = 8;

  private final int dim;
  private final float[] mean;
  private final float[] basis;
  private final float cell;
  private final Map<Long, int[]> cells = new HashMap<>();
  private final int axes;
  private final int filterAxes;
  private float[] proj = new float[0];
  private volatile Flat flat;

  /**
   * The cubes laid out for queries: {@code keys[slot]} a cube's key (-1 = free slot) whose ids are
   * {@code ids[start[cell[slot]] .. start[cell[slot] + 1])}, and {@code proj} the ids' filter
   * projections in the same order.
   */
  private record Flat(long[] keys, int[] cell, int mask, int[] start, int[] ids, float[] proj) {
    /** The cube index of {@code key}, or -1 when no latent lies in it. */
    int find(long key) {
      int slot = mix(key) & mask;
      while (true) {
        long k = keys[slot];
        if (k == key) {
          return cell[slot];
        }
        if (k == -1L) {
          return -1;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

  /**
   * An empty grid whose directions come from {@code sample} ({@code count} latents, flat).
   *
   * @param cell the cube side, in latent units (about the query radius works well)
   */
  public LatentGrid(float[] sample, int count, int dim, float cell) {
    this.dim = dim;
    this.cell = cell;
    this.axes = Math.min(AXES, dim);
    this.filterAxes = Math.min(FILTER_AXES, dim);
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
    this.basis = new float[filterAxes * dim];
    for (int k = 0; k < filterAxes; k++) {
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
    if ((id + 1) * filterAxes > proj.length) {
      proj = Arrays.copyOf(proj, Math.max((id + 1) * filterAxes, proj.length * 2));
    }
    projectAll(data, off, proj, id * filterAxes);
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
    flat = null;
  }

  private Flat flat() {
    Flat f = flat;
    if (f == null) {
      f = layOut();
      flat = f;
    }
    return f;
  }

  private Flat layOut() {
    int n = cells.size();
    int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    long[] keys = new long[capacity];
    Arrays.fill(keys, -1L);
    int[] cell = new int[capacity];
    int[] start = new int[n + 1];
    int total = 0;
    for (int[] list : cells.values()) {
      total += list[0];
    }
    int[] ids = new int[total];
    float[] p = new float[total * filterAxes];
    int c = 0;
    int at = 0;
    for (Map.Entry<Long, int[]> e : cells.entrySet()) {
      long key = e.getKey();
      int slot = mix(key) & (capacity - 1);
      while (keys[slot] != -1L) {
        slot = (slot + 1) & (capacity - 1);
      }
      keys[slot] = key;
      cell[slot] = c;
      start[c] = at;
      int[] list = e.getValue();
      for (int i = 1; i <= list[0]; i++) {
        ids[at] = list[i];
        System.arraycopy(proj, list[i] * filterAxes, p, at * filterAxes, filterAxes);
        at++;
      }
      c++;
    }
    start[n] = at;
    return new Flat(keys, cell, capacity - 1, start, ids, p);
  }

  /**
   * A 64-bit finaliser (MurmurHash3's), folded to an int: cube keys are dense in their low bits.
   */
  private static int mix(long key) {
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }

  /** Receives candidate ids. */
  @FunctionalInterface
  public interface Visitor {
    /** Visits one candidate. */
    void visit(int id);
  }

  /**
   * Every id whose latent may lie within {@code radius} of {@code z[off..]} (a superset); unlike
   * {@link #within}, calls may be interleaved with {@link #add}.
   */
  public void candidates(float[] z, int off, float radius, Visitor visitor) {
    // Straight from the hash map: a graph build interleaves these with adds, and laying the cubes
    // out after every add would cost more than it saves.
    CellWalk walk = new CellWalk(z, off, radius);
    for (long key = walk.nextKey(); key != -1L; key = walk.nextKey()) {
      int[] list = cells.get(key);
      if (list != null) {
        for (int i = 1; i <= list[0]; i++) {
          visitor.visit(list[i]);
        }
      }
    }
  }

  /**
   * The ids within {@code radius} (Euclidean) of {@code z[off..off+dim)}, where id {@code i}'s
   * latent is {@code data[i * dim..]}: exact, in the order {@link #candidates} visits them.
   */
  public int[] within(float[] data, float[] z, int off, float radius) {
    Flat f = flat();
    int fa = filterAxes;
    float[] q = new float[fa];
    projectAll(z, off, q, 0);
    CellWalk walk = new CellWalk(z, off, radius);
    float r2 = radius * radius;
    // The projection is onto orthonormal directions, so its distance never exceeds the true one;
    // the slack only covers rounding.
    float bound = r2 * 1.0001f + 1e-12f;
    int[] ids = f.ids;
    float[] pr = f.proj;
    int[] found = new int[8];
    int count = 0;
    for (long key = walk.nextKey(); key != -1L; key = walk.nextKey()) {
      int c = f.find(key);
      if (c < 0) {
        continue;
      }
      for (int i = f.start[c], end = f.start[c + 1]; i < end; i++) {
        int p = i * fa;
        float lb = 0f;
        for (int a = 0; a < fa; a++) {
          float d = pr[p + a] - q[a];
          lb += d * d;
        }
        if (lb > bound) {
          continue;
        }
        int id = ids[i];
        if (Distances.squaredL2Within(data, id * dim, z, off, dim, r2) > r2) {
          continue;
        }
        if (count == found.length) {
          found = Arrays.copyOf(found, count * 2);
        }
        found[count++] = id;
      }
    }
    return Arrays.copyOf(found, count);
  }

  /**
   * The keys of the cube of {@code 2 * reach + 1} cells a side around a latent's cell, where {@code
   * reach} is the radius in cells, in one fixed order; the caller looks each up.
   */
  private final class CellWalk {
    private final int[] centre = new int[axes];
    private final int[] o = new int[axes];
    private final int reach;
    private final int span;
    private final int total;
    private int idx;

    CellWalk(float[] z, int off, float radius) {
      project(z, off, centre);
      reach = (int) Math.ceil(radius / cell);
      span = 2 * reach + 1;
      int t = 1;
      for (int a = 0; a < axes; a++) {
        t *= span;
      }
      total = t;
    }

    /** The next cube's key (empty or not; keys are never negative), or -1 after the last. */
    long nextKey() {
      if (idx >= total) {
        return -1L;
      }
      int rest = idx++;
      for (int a = 0; a < axes; a++) {
        o[a] = centre[a] + (rest % span) - reach;
        rest /= span;
      }
      return pack(o);
    }
  }

  /** The projections of {@code z[off..]} on every kept direction, to {@code out[outOff..]}. */
  private void projectAll(float[] z, int off, float[] out, int outOff) {
    for (int a = 0; a < filterAxes; a++) {
      float s = 0;
      for (int j = 0; j < dim; j++) {
        s += (z[off + j] - mean[j]) * basis[a * dim + j];
      }
      out[outOff + a] = s;
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
