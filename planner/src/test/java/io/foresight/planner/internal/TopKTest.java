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
}
