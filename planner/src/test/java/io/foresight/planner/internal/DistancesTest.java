package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistancesTest {

  private static double sequentialSquared(float[] a, int ao, float[] b, int bo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double d = a[ao + i] - b[bo + i];
      s += d * d;
    }
    return s;
  }

  @Test
  void shouldMatchTheSequentialSumsForEveryLength() {
    SplittableRandom r = new SplittableRandom(1);
    for (int n = 0; n <= 37; n++) {
      float[] a = new float[n + 3];
      float[] b = new float[n + 5];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) r.nextGaussian();
      }
      double sq = sequentialSquared(a, 3, b, 5, n);
      double l1 = 0;
      for (int i = 0; i < n; i++) {
        l1 += Math.abs(a[3 + i] - b[5 + i]);
      }
      assertThat((double) Distances.squaredL2(a, 3, b, 5, n)).isCloseTo(sq, within(1e-4));
      assertThat((double) Distances.l1(a, 3, b, 5, n)).isCloseTo(l1, within(1e-4));
    }
  }

  @Test
  void shouldDecideWithinARadiusAsTheFullDistanceDoes() {
    SplittableRandom r = new SplittableRandom(2);
    int dim = 32;
    float[] z = new float[dim];
    for (int j = 0; j < dim; j++) {
      z[j] = (float) r.nextGaussian();
    }
    float[] pts = new float[10_000 * dim];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = z[i % dim] + (float) (r.nextGaussian() * 0.2);
    }
    float bound = 0.2f * 0.2f * dim;
    int inside = 0;
    for (int p = 0; p < 10_000; p++) {
      float full = Distances.squaredL2(pts, p * dim, z, 0, dim);
      float cut = Distances.squaredL2Within(pts, p * dim, z, 0, dim, bound);
      assertThat(cut <= bound).isEqualTo(full <= bound);
      if (full <= bound) {
        inside++;
        assertThat(cut).isCloseTo(full, within(1e-5f));
      }
    }
    assertThat(inside).isBetween(2_000, 8_000);
  }
}
