package io.foresight.tools.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectorSweepTest {

  @Test
  void shouldCountHitsMissesAndFalseAlarmsAgainstTheLabels() {
    int episodes = 50;
    int steps = 40;
    Random rnd = new Random(5);
    double[][] violated = new double[episodes][steps];
    double[][] clean = new double[episodes][steps];
    byte[][] labels = new byte[episodes][steps];
    for (int e = 0; e < episodes; e++) {
      for (int t = 1; t < steps; t++) {
        double usual = 0.05 * Math.exp(0.2 * rnd.nextGaussian());
        clean[e][t] = usual;
        violated[e][t] = usual;
      }
      // One violation in every other episode, far above the usual error.
      if (e % 2 == 1) {
        labels[e][20] = 1;
        violated[e][20] = 5.0;
      }
    }

    List<DetectorSweep.Point> points =
        DetectorSweep.sweep(
            violated, labels, clean, new double[] {4, 100}, new long[] {20}, 0.01, 2);

    DetectorSweep.Point four = points.get(0);
    assertThat(four.violations()).isEqualTo(25);
    assertThat(four.detected()).isEqualTo(25);
    assertThat(four.recall()).isEqualTo(1.0);
    assertThat(four.precision()).isCloseTo(1.0, within(0.05));
    assertThat(four.cleanFrames()).isEqualTo(episodes * (steps - 1));
    assertThat(four.falseAlarmsPer1000()).isLessThan(2.0);
    DetectorSweep.Point hundred = points.get(1);
    assertThat(hundred.alarms()).isZero();
    assertThat(hundred.recall()).isZero();
    assertThat(hundred.precision()).isNaN();
    assertThat(hundred.toMap()).containsEntry("threshold", 100.0).containsEntry("warmup", 20L);
  }
}
