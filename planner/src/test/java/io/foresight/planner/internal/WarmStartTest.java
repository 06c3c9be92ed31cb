package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmStartTest {

  @Test
  void shouldShiftByOneStepAndRepeatTheLast() {
    float[][] prev = {{1, 10}, {2, 20}, {3, 30}};
    float[] out = new float[6];

    WarmStart.shift(prev, 3, 1, 2, out);

    assertThat(out).containsExactly(2, 20, 3, 30, 3, 30);
  }

  @Test
  void shouldAverageTheShiftedStepsEachRepeatedDecisionCovers() {
    float[][] prev = {{0}, {1}, {2}, {3}, {4}, {5}};
    float[] out = new float[2];

    WarmStart.shift(prev, 6, 3, 1, out);

    // Steps 0-2 start from prev[1..3], steps 3-5 from prev[4], prev[5], prev[5].
    assertThat(out).containsExactly(2f, (4f + 5f + 5f) / 3f);
  }

  @Test
  void shouldStretchAShorterPreviousPlanWithItsLastStep() {
    float[][] prev = {{1}, {2}};
    float[] out = new float[4];

    WarmStart.shift(prev, 4, 1, 1, out);

    assertThat(out).containsExactly(2, 2, 2, 2);
  }
}
