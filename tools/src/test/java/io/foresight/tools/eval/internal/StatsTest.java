package io.foresight.tools.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void shouldGiveAurocOneForPerfectSeparationAndHalfForTies() {
    assertThat(
            Stats.auroc(
                new double[] {0.1, 0.2, 0.9, 0.8}, new boolean[] {false, false, true, true}))
        .isEqualTo(1.0);
    assertThat(
            Stats.auroc(
                new double[] {0.9, 0.8, 0.1, 0.2}, new boolean[] {false, false, true, true}))
        .isEqualTo(0.0);
    assertThat(Stats.auroc(new double[] {1, 1, 1, 1}, new boolean[] {false, true, false, true}))
        .isEqualTo(0.5);
  }

  @Test
  void shouldMatchTheRankDefinitionOfAuroc() {
    // positives 0.4, 0.7; negatives 0.5, 0.1, 0.7: pairs won 1 + 3 + tie 0.5 = 4.5 of 6... minus
    // 0.4 < 0.5: (0.4 beats 0.1) 1, (0.7 beats 0.5, 0.1, ties 0.7) 2.5 -> 3.5 / 6
    double a =
        Stats.auroc(
            new double[] {0.4, 0.7, 0.5, 0.1, 0.7},
            new boolean[] {true, true, false, false, false});
    assertThat(a).isCloseTo(3.5 / 6, within(1e-12));
  }

  @Test
  void shouldRecoverALinearMapWithTheRidgeProbe() {
    Random r = new Random(1);
    double[][] x = new double[400][5];
    double[][] y = new double[400][2];
    for (int i = 0; i < 400; i++) {
      for (int j = 0; j < 5; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i][0] = 3 * x[i][0] - 2 * x[i][3] + 7;
      y[i][1] = x[i][1] + 0.5 * x[i][4] - 1;
    }
    Stats.Probe p =
        Stats.ridgeProbe(
            java.util.Arrays.copyOfRange(x, 0, 200),
            java.util.Arrays.copyOfRange(y, 0, 200),
            java.util.Arrays.copyOfRange(x, 200, 400),
            java.util.Arrays.copyOfRange(y, 200, 400),
            1e-6);

    assertThat(p.r2()[0]).isGreaterThan(0.9999);
    assertThat(p.r2()[1]).isGreaterThan(0.9999);
    assertThat(p.rmse()[0]).isLessThan(0.01);
  }

  @Test
  void shouldPredictWhatTheProbeScores() {
    Random r = new Random(2);
    double[][] x = new double[300][3];
    double[][] y = new double[300][1];
    for (int i = 0; i < 300; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i][0] = 2 * x[i][2] - x[i][0] + 0.5;
    }
    double[][] train = java.util.Arrays.copyOfRange(x, 0, 200);
    double[][] test = java.util.Arrays.copyOfRange(x, 200, 300);

    double[][] pred =
        Stats.ridgePredict(train, java.util.Arrays.copyOfRange(y, 0, 200), test, 1e-6);

    assertThat(pred).hasNumberOfRows(100);
    for (int i = 0; i < 100; i++) {
      assertThat(pred[i][0]).isCloseTo(y[200 + i][0], within(1e-3));
    }
  }

  @Test
  void shouldComputePearsonCorrelation() {
    assertThat(Stats.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}))
        .isCloseTo(1.0, within(1e-12));
    assertThat(Stats.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isCloseTo(-1.0, within(1e-12));
  }
}
