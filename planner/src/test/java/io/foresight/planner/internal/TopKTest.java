package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopKTest {

  @Test
  void shouldReturnTheIndicesOfTheSmallestValuesInOrder() {
    float[] v = {5, 1, Float.NaN, 3, 0, 9, 2};
    int[] out = new int[3];

    TopK.smallest(v, v.length, 3, out);

    assertThat(out).containsExactly(4, 1, 6);
  }

  @Test
  void shouldRankNanLast() {
    float[] v = {Float.NaN, 7};
    int[] out = new int[2];

    TopK.smallest(v, 2, 2, out);

    assertThat(out).containsExactly(1, 0);
  }

  @Test
  void shouldEqualAStableSortOfTheValues() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(300);
      int k = 1 + r.nextInt(n);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        // Few distinct values, so ties are common; some NaN and infinities.
        int c = r.nextInt(40);
        v[i] = c == 0 ? Float.NaN : c == 1 ? Float.POSITIVE_INFINITY : r.nextInt(20);
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(
          order,
          java.util.Comparator.comparingDouble(
              i -> Float.isNaN(v[i]) ? Float.POSITIVE_INFINITY : v[i]));
      int[] out = new int[k];

      TopK.smallest(v, n, k, out);

      for (int j = 0; j < k; j++) {
        assertThat(out[j]).as("rank %d of %d smallest of %d", j, k, n).isEqualTo(order[j]);
      }
    }
  }
}
