package io.foresight.pipeline.eval;

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
  void shouldRejectTooFewEpisodesWithAClearMessage() {
    assertThatThrownBy(() -> PredictionEval.builder().episodes(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("episodes must be >= 2");
    assertThatThrownBy(() -> SurpriseEval.builder().violationRate(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("violation rate");
  }
}
