package io.foresight.memory.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Landmark selection by farthest-point sampling: starting from the sample nearest to the sample's
 * mean, repeatedly add the sample farthest from every landmark chosen so far. The result covers the
 * visited latent space evenly (rooms, doorways), which a planner can use as subgoals.
 */
public final class Landmarks {
  private Landmarks() {}

  /** Indices into {@code points} of up to {@code k} landmarks, in the order they were chosen. */
  public static int[] farthestPoints(List<float[]> points, int k) {
    int n = points.size();
    if (n == 0 || k <= 0) {
      return new int[0];
    }
    int dim = points.get(0).length;
    double[] mean = new double[dim];
    for (float[] p : points) {
      for (int i = 0; i < dim; i++) {
        mean[i] += p[i];
      }
    }
    float[] m = new float[dim];
    for (int i = 0; i < dim; i++) {
      m[i] = (float) (mean[i] / n);
    }
    int first = 0;
    float best = Float.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      float d = VectorIndex.l2(points.get(i), 0, m, 0, dim);
      if (d < best) {
        best = d;
        first = i;
      }
    }
    int count = Math.min(k, n);
    List<Integer> chosen = new ArrayList<>(count);
    float[] minDist = new float[n];
    java.util.Arrays.fill(minDist, Float.MAX_VALUE);
    int next = first;
    while (chosen.size() < count) {
      chosen.add(next);
      float[] c = points.get(next);
      int far = -1;
      float farDist = -1;
      for (int i = 0; i < n; i++) {
        float d = VectorIndex.l2(points.get(i), 0, c, 0, dim);
        if (d < minDist[i]) {
          minDist[i] = d;
        }
        if (minDist[i] > farDist) {
          farDist = minDist[i];
          far = i;
        }
      }
      if (farDist <= 0) {
        break;
      }
      next = far;
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Index of the landmark nearest to {@code v}. */
  public static int nearest(float[][] landmarks, float[] v) {
    int best = 0;
    float bestDist = Float.MAX_VALUE;
    for (int i = 0; i < landmarks.length; i++) {
      float d = VectorIndex.l2(landmarks[i], 0, v, 0, v.length);
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    return best;
  }
}
