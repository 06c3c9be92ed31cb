package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A small evaluation of the shipped model on seeds it was not trained on (a few seconds). */
class ShippedModelQualityTest {

  @Test
  void shouldBeatCopyLastAndNotBeCollapsed() {
    PredictionReport r =
        PredictionEval.builder().episodes(16).steps(24).seed(4242).horizons(1, 5).build().run();

    // measured on 200 episodes: 0.075 (h1) and 0.024 (h5); copy-last is 1.0
    assertThat(r.errorRatio().get(1)).isLessThan(0.25);
    assertThat(r.errorRatio().get(5)).isLessThan(0.25);
    // VICReg keeps every dimension near unit std; a collapsed latent has ~0
    assertThat(r.latentStdMin()).isGreaterThan(0.3);
    assertThat(r.probeR2()).isGreaterThan(0.9); // 0.999 on 200 episodes; few rows here
    assertThat(r.toMap())
        .containsKeys("error_ratio_h1", "error_ratio_h5", "probe_r2", "latent_std");
  }

  @Test
  void shouldFlagInjectedViolationsAsSurprising() {
    SurpriseReport r =
        SurpriseEval.builder().episodes(6).steps(30).seed(4343).violationRate(0.1).build().run();

    assertThat(r.pairs()).isPositive();
    assertThat(r.auroc()).isGreaterThan(0.9);
    assertThat(r.pairwiseAccuracy()).isGreaterThan(0.8);
    assertThat(r.meanScoreViolation()).isGreaterThan(5 * r.meanScoreNormal());
  }

  @Test
  void shouldRaiseSurpriseEventsOnViolationsAndRarelyElseWithTheDefaultDetector() {
    SurpriseReport r = SurpriseEval.builder().episodes(60).seed(4343).build().run();

    java.util.Map<String, Object> atDefault =
        r.detector().stream()
            .filter(p -> p.get("threshold").equals(4.0) && p.get("warmup").equals(20L))
            .findFirst()
            .orElseThrow();
    // measured: precision 1.0, recall 0.91, 1.7 false alarms per 1,000 clean frames (60
    // episodes); the first, raw-scale detector had recall 0.54 and 12.9 on 200 episodes
    assertThat((Double) atDefault.get("precision")).isGreaterThan(0.95);
    assertThat((Double) atDefault.get("recall")).isGreaterThan(0.8);
    assertThat((Double) atDefault.get("false_alarms_per_1000_clean_frames")).isLessThan(4.0);
  }

  @Test
  void shouldRejectTooFewEpisodesWithAClearMessage() {
    assertThatThrownBy(() -> PredictionEval.builder().episodes(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("episodes must be >= 2");
    assertThatThrownBy(() -> SurpriseEval.builder().violationRate(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("violation rate");
  }
}
