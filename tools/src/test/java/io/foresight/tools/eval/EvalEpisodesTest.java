package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.sim.world.WorldConfig;
import org.junit.jupiter.api.Test;

class EvalEpisodesTest {

  @Test
  void shouldGenerateTheSameEpisodesForTheSameSeed() {
    EvalEpisodes a = EvalEpisodes.generate(WorldConfig.DEFAULT, 7, 3, 10, "mixed");
    EvalEpisodes b = EvalEpisodes.generate(WorldConfig.DEFAULT, 7, 3, 10, "mixed");

    for (int e = 0; e < 3; e++) {
      assertThat(a.frames(e)).isEqualTo(b.frames(e));
      assertThat(a.actions(e)).isEqualTo(b.actions(e));
    }
    assertThat(a.frames(0)).hasSize(10 * 64 * 64 * 3);
  }

  @Test
  void shouldReplayACleanTwinThatMatchesUntilTheFirstViolation() {
    WorldConfig violated = WorldConfig.DEFAULT.toBuilder().violationRate(0.2).build();
    EvalEpisodes v = EvalEpisodes.generate(violated, 11, 4, 30, "mixed");
    EvalEpisodes c = EvalEpisodes.replay(WorldConfig.DEFAULT, v);

    int frameBytes = WorldConfig.DEFAULT.frameBytes();
    int labelled = 0;
    for (int e = 0; e < 4; e++) {
      int first = 30;
      for (int t = 0; t < 30; t++) {
        if (v.labels(e)[t] != 0) {
          first = Math.min(first, t);
          labelled++;
        }
        assertThat(c.labels(e)[t]).isZero();
      }
      for (int t = 0; t < first; t++) {
        assertThat(
                java.util.Arrays.equals(
                    v.frames(e),
                    t * frameBytes,
                    (t + 1) * frameBytes,
                    c.frames(e),
                    t * frameBytes,
                    (t + 1) * frameBytes))
            .as("episode %d frame %d before the first violation at %d", e, t, first)
            .isTrue();
      }
      assertThat(c.actions(e)).isEqualTo(v.actions(e));
    }
    assertThat(labelled).isPositive();
  }
}
