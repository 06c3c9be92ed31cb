package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  private static final int N = 2_000_000;

  @Test
  void shouldDrawStandardNormals() {
    GaussianNoise g = new GaussianNoise(42);
    double sum = 0;
    double sq = 0;
    double quad = 0;
    int beyond2 = 0;
    int beyond35 = 0;
    for (int i = 0; i < N; i++) {
      double z = g.next();
      sum += z;
      sq += z * z;
      quad += z * z * z * z;
      if (Math.abs(z) > 2) {
        beyond2++;
      }
      if (Math.abs(z) > 3.5) {
        beyond35++;
      }
    }
    double mean = sum / N;
    double var = sq / N - mean * mean;
    assertThat(mean).isCloseTo(0, within(0.003));
    assertThat(Math.sqrt(var)).isCloseTo(1, within(0.003));
    assertThat(quad / N).isCloseTo(3, within(0.03));
    // P(|z| > 2) = 0.0455, P(|z| > 3.5) = 0.000465: the layers and the tail beyond 3.44.
    assertThat(beyond2 / (double) N).isCloseTo(0.0455, within(0.0006));
    assertThat(beyond35 / (double) N).isCloseTo(0.000465, within(0.00006));
  }

  @Test
  void shouldRepeatTheSequenceOfASeed() {
    GaussianNoise a = new GaussianNoise(7);
    GaussianNoise b = new GaussianNoise(7);
    GaussianNoise c = new GaussianNoise(8);
    float[] x = new float[1000];
    float[] y = new float[1000];
    float[] z = new float[1000];
    float[] zero = new float[1000];
    float[] one = new float[1000];
    java.util.Arrays.fill(one, 1f);
    float[] lo = {-100f, -100f};
    float[] hi = {100f, 100f};
    a.fill(x, 0, 1000, zero, one, lo, hi);
    b.fill(y, 0, 1000, zero, one, lo, hi);
    c.fill(z, 0, 1000, zero, one, lo, hi);

    assertThat(x).containsExactly(y);
    assertThat(x).isNotEqualTo(z);
  }

  @Test
  void shouldScaleShiftAndClipPerActionDimension() {
    GaussianNoise g = new GaussianNoise(3);
    int n = 200_000;
    float[] mean = new float[n];
    float[] std = new float[n];
    for (int j = 0; j < n; j += 2) {
      mean[j] = 0.5f;
      std[j] = 0.1f;
      mean[j + 1] = 0f;
      std[j + 1] = 2f;
    }
    float[] out = new float[n];
    g.fill(out, 0, n, mean, std, new float[] {-1f, -1f}, new float[] {1f, 1f});

    double s0 = 0;
    int clipped = 0;
    for (int j = 0; j < n; j += 2) {
      s0 += out[j];
      assertThat(out[j + 1]).isBetween(-1f, 1f);
      if (Math.abs(out[j + 1]) == 1f) {
        clipped++;
      }
    }
    assertThat(s0 / (n / 2)).isCloseTo(0.5, within(0.002));
    // P(|N(0, 2)| > 1) = 0.617.
    assertThat(clipped / (double) (n / 2)).isCloseTo(0.617, within(0.01));
  }
}
