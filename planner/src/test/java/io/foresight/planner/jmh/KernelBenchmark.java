package io.foresight.planner.jmh;

import io.foresight.planner.Cost;
import io.foresight.planner.LandmarkGraph;
import io.foresight.planner.internal.GaussianNoise;
import io.foresight.planner.internal.LatentGrid;
import io.foresight.planner.internal.TopK;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The planner's kernels at the settings of 0.1 (128 samples, horizon 5, 2 actions, latents of 32,
 * three iterations per plan), each as the work of one plan; every {@code ...Baseline} method is the
 * kernel as it was before the "Java overhead per plan" change (docs/benchmarks.md), kept here and
 * not in the main code, so one run compares both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmark {
  private static final int N = 128;
  private static final int H = 5;
  private static final int A = 2;
  private static final int D = 32;
  private static final int W = H * A;
  private static final int ITERATIONS = 3;
  private static final int ELITES = 12;

  private final float[] mean = new float[W];
  private final float[] std = new float[W];
  private final float[] lo = {-1f, -1f};
  private final float[] hi = {1f, 1f};
  private final float[] samples = new float[N * W];
  private final float[] timeActions = new float[H * N * A];
  private final float[] traj = new float[H * N * D];
  private final float[] goal = new float[D];
  private final float[] costs = new float[N];
  private final int[] idx = new int[ELITES];
  private final float[] keys = new float[ELITES];
  private SplittableRandom random;
  private GaussianNoise noise;

  private float[] nodes;
  private LatentGrid grid;
  private float radius;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    for (int j = 0; j < W; j++) {
      mean[j] = (float) (r.nextDouble() - 0.5);
      std[j] = 0.5f;
    }
    for (int i = 0; i < traj.length; i++) {
      traj[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < costs.length; i++) {
      costs[i] = (float) r.nextDouble();
    }
    random = new SplittableRandom(3);
    noise = new GaussianNoise(3);
    LandmarkGraph graph =
        LandmarkGraph.load(
            Path.of(System.getProperty("bench.model", "models/two-rooms"), "landmarks.bin"));
    int count = graph.size();
    nodes = new float[count * D];
    for (int i = 0; i < count; i++) {
      System.arraycopy(graph.node(i), 0, nodes, i * D, D);
    }
    // As LandmarkGraph builds its index, and as it attaches a latent to the graph.
    radius = 1.5f * graph.stepScale();
    grid = new LatentGrid(nodes, count, D, radius);
    for (int i = 0; i < count; i++) {
      grid.add(i, nodes, i * D);
    }
    queries = new float[64][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = graph.node(r.nextInt(count));
    }
  }

  /** Sampling, clipping and the time-major copy of one plan, with SplittableRandom. */
  @Benchmark
  public float[] sampleBaseline() {
    for (int it = 0; it < ITERATIONS; it++) {
      System.arraycopy(mean, 0, samples, 0, W);
      for (int i = 1; i < N; i++) {
        int base = i * W;
        for (int j = 0; j < W; j++) {
          samples[base + j] = (float) (mean[j] + std[j] * random.nextGaussian());
        }
        for (int j = 0; j < W; j++) {
          int a = j % A;
          float v = samples[base + j];
          samples[base + j] = v < lo[a] ? lo[a] : (v > hi[a] ? hi[a] : v);
        }
      }
      for (int t = 0; t < H; t++) {
        int dst = t * N * A;
        for (int i = 0; i < N; i++) {
          System.arraycopy(samples, i * W + t * A, timeActions, dst + i * A, A);
        }
      }
    }
    return timeActions;
  }

  /** The same with {@link GaussianNoise#fill} and the copy fused, as SamplingEngine does it. */
  @Benchmark
  public float[] sample() {
    for (int it = 0; it < ITERATIONS; it++) {
      System.arraycopy(mean, 0, samples, 0, W);
      for (int i = 1; i < N; i++) {
        noise.fill(samples, i * W, W, mean, std, lo, hi);
        for (int t = 0; t < H; t++) {
          int from = i * W + t * A;
          int dst = (t * N + i) * A;
          for (int a = 0; a < A; a++) {
            timeActions[dst + a] = samples[from + a];
          }
        }
      }
    }
    return timeActions;
  }

  /** L2 summed over the horizon for one plan's three iterations, one running sum per distance. */
  @Benchmark
  public float[] costBaseline() {
    for (int it = 0; it < ITERATIONS; it++) {
      Arrays.fill(costs, 0f);
      for (int t = 0; t < H; t++) {
        int base = t * N * D;
        for (int b = 0; b < N; b++) {
          float s = 0f;
          for (int i = 0; i < D; i++) {
            float d = traj[base + b * D + i] - goal[i];
            s += d * d;
          }
          costs[b] += (float) Math.sqrt(s);
        }
      }
    }
    return costs;
  }

  /** The same with {@link Cost#evaluate}. */
  @Benchmark
  public float[] cost() {
    for (int it = 0; it < ITERATIONS; it++) {
      Cost.L2_SUM.evaluate(traj, N, H, D, goal, costs);
    }
    return costs;
  }

  /** The elites of one plan's three iterations, as TopK did it. */
  @Benchmark
  public int[] topKBaseline() {
    for (int it = 0; it < ITERATIONS; it++) {
      oldSmallest(costs, N, ELITES, idx);
    }
    return idx;
  }

  /** The same with {@link TopK#smallest(float[], int, int, int[], float[])}. */
  @Benchmark
  public int[] topK() {
    for (int it = 0; it < ITERATIONS; it++) {
      TopK.smallest(costs, N, ELITES, idx, keys);
    }
    return idx;
  }

  /** The nodes within the attach radius of a latent, as LandmarkGraph found them. */
  @Benchmark
  public int[] attachBaseline() {
    float[] z = query();
    int[][] within = {new int[16]};
    int[] found = {0};
    grid.candidates(
        z,
        0,
        radius,
        n -> {
          if (oldDistance(nodes, n * D, z, 0, D) <= radius) {
            if (found[0] == within[0].length) {
              within[0] = Arrays.copyOf(within[0], found[0] * 2);
            }
            within[0][found[0]++] = n;
          }
        });
    return Arrays.copyOf(within[0], found[0]);
  }

  /** The same with {@link LatentGrid#within}. */
  @Benchmark
  public int[] attach() {
    return grid.within(nodes, query(), 0, radius);
  }

  private float[] query() {
    next = (next + 1) % queries.length;
    return queries[next];
  }

  private static float oldDistance(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      float d = a[aOff + i] - b[bOff + i];
      s += d * d;
    }
    return (float) Math.sqrt(s);
  }

  private static void oldSmallest(float[] values, int n, int k, int[] out) {
    int filled = 0;
    for (int i = 0; i < n; i++) {
      float v = values[i];
      if (Float.isNaN(v)) {
        v = Float.POSITIVE_INFINITY;
      }
      if (filled == k && !(v < oldKey(values, out[k - 1]))) {
        continue;
      }
      int j = filled < k ? filled++ : k - 1;
      while (j > 0 && v < oldKey(values, out[j - 1])) {
        out[j] = out[j - 1];
        j--;
      }
      out[j] = i;
    }
  }

  private static float oldKey(float[] values, int i) {
    float v = values[i];
    return Float.isNaN(v) ? Float.POSITIVE_INFINITY : v;
  }
}
