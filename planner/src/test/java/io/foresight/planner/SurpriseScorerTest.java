package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SurpriseScorerTest {

  private final SurpriseScorer scorer =
      SurpriseScorer.builder().threshold(4).warmUp(20).alpha(0.02).build();

  @Test
  void shouldNormaliseSoTheSameThresholdWorksOnStreamsOfDifferentScale() {
    // Two streams whose usual errors differ by 1000x, each with one jump of 8 of its own std
    // (about 6 standard deviations of the log-distance).
    Random rnd = new Random(1);
    SurpriseStatistics small = SurpriseStatistics.EMPTY;
    SurpriseStatistics large = SurpriseStatistics.EMPTY;
    for (int i = 0; i < 200; i++) {
      double noise = rnd.nextGaussian();
      small = scorer.scoreRaw(small, 0.01 + 0.001 * noise).statistics();
      large = scorer.scoreRaw(large, 10 + 1 * noise).statistics();
    }

    SurpriseScore s = scorer.scoreRaw(small, 0.01 + 0.008);
    SurpriseScore l = scorer.scoreRaw(large, 10 + 8);

    assertThat(s.surprising()).isTrue();
    assertThat(l.surprising()).isTrue();
    assertThat(s.normalized()).isCloseTo(l.normalized(), within(1.5));
    assertThat(s.normalized()).isBetween(5.0, 11.0);
    assertThat(s.raw()).isCloseTo(0.018, within(1e-9));
  }

  @Test
  void shouldNotFlagOrdinaryFrames() {
    Random rnd = new Random(2);
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    int flagged = 0;
    for (int i = 0; i < 2000; i++) {
      SurpriseScore sc = scorer.scoreRaw(st, 1 + 0.1 * rnd.nextGaussian());
      flagged += sc.surprising() ? 1 : 0;
      st = sc.statistics();
    }

    assertThat(flagged).isLessThanOrEqualTo(2);
  }

  @Test
  void shouldStayQuietDuringWarmUp() {
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    for (int i = 0; i < 19; i++) {
      SurpriseScore sc = scorer.scoreRaw(st, i == 18 ? 1000 : 1 + (i % 2) * 0.1);
      assertThat(sc.surprising()).isFalse();
      assertThat(sc.normalized()).isNaN();
      st = sc.statistics();
    }
    assertThat(st.count()).isEqualTo(19);
  }

  @Test
  void shouldComputeExactMeanAndVarianceDuringWarmUp() {
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      st = st.add(x, 0.01);
    }

    assertThat(st.mean()).isCloseTo(5.0, within(1e-12));
    assertThat(st.variance()).isCloseTo(4.0, within(1e-12));
  }

  @Test
  void shouldFollowSlowDriftAfterWarmUp() {
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    for (int i = 0; i < 1000; i++) {
      st = st.add(1 + (i % 2) * 0.2, 0.05);
    }
    for (int i = 0; i < 1000; i++) {
      st = st.add(3 + (i % 2) * 0.2, 0.05);
    }

    assertThat(st.mean()).isCloseTo(3.1, within(0.01));
  }

  @Test
  void shouldCatchEveryViolationEvenAfterManyOfThem() {
    // Heavy-tailed ordinary errors (log-normal) and a violation 30x the usual error every 50
    // frames: the violations must not inflate the spread the next one is measured against.
    Random rnd = new Random(3);
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    int violations = 0;
    int caught = 0;
    int falseAlarms = 0;
    for (int i = 0; i < 3000; i++) {
      boolean violation = i >= 100 && i % 50 == 0;
      double raw = 0.05 * Math.exp(0.4 * rnd.nextGaussian()) * (violation ? 30 : 1);
      SurpriseScore sc = scorer.scoreRaw(st, raw);
      st = sc.statistics();
      if (violation) {
        violations++;
        caught += sc.surprising() ? 1 : 0;
      } else if (sc.surprising()) {
        falseAlarms++;
      }
    }

    assertThat(caught).isEqualTo(violations);
    assertThat(falseAlarms).isLessThanOrEqualTo(3);
  }

  @Test
  void shouldLearnALastingChangeOfLevel() {
    // The camera's usual error triples for good (a new room): alarms at first, then quiet again.
    Random rnd = new Random(4);
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    for (int i = 0; i < 500; i++) {
      st = scorer.scoreRaw(st, 0.05 * Math.exp(0.2 * rnd.nextGaussian())).statistics();
    }
    int lateAlarms = 0;
    for (int i = 0; i < 1500; i++) {
      SurpriseScore sc = scorer.scoreRaw(st, 0.15 * Math.exp(0.2 * rnd.nextGaussian()));
      st = sc.statistics();
      if (i >= 1000 && sc.surprising()) {
        lateAlarms++;
      }
    }

    assertThat(lateAlarms).isZero();
    assertThat(st.mean()).isCloseTo(Math.log(0.15), within(0.1));
  }

  @Test
  void shouldRefuseANonPositiveClamp() {
    assertThatThrownBy(() -> SurpriseScorer.builder().clamp(0).build())
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("surprise clamp must be a positive number");
  }

  @Test
  void shouldScoreAZeroDistanceWithoutANumberError() {
    SurpriseStatistics st = SurpriseStatistics.EMPTY;
    for (int i = 0; i < 30; i++) {
      st = scorer.scoreRaw(st, i % 2 == 0 ? 0.0 : 1e-3).statistics();
    }
    SurpriseScore sc = scorer.scoreRaw(st, 0.0);
    assertThat(sc.normalized()).isFinite();
    assertThat(sc.surprising()).isFalse();
  }

  @Test
  void shouldMeasureTheDistanceBetweenPredictedAndEncodedLatents() {
    SurpriseScore sc =
        SurpriseScorer.builder()
            .norm(Cost.Norm.L1)
            .build()
            .score(SurpriseStatistics.EMPTY, new float[] {1, 2}, new float[] {0, 4});

    assertThat(sc.raw()).isEqualTo(3.0);
  }

  @Test
  void shouldKeepStatisticsPerStreamWhenAskedTo() {
    SurpriseScorer s = SurpriseScorer.builder().warmUp(5).build();
    for (int i = 0; i < 10; i++) {
      s.observe("a", new float[] {0}, new float[] {1 + (i % 2) * 0.1f});
    }

    assertThat(s.statistics("a").count()).isEqualTo(10);
    assertThat(s.statistics("b").count()).isZero();
    assertThat(s.observe("a", new float[] {0}, new float[] {50})).isPresent();
  }
}
