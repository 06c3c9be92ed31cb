package io.foresight.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.sim.dataset.DatasetRecorder;
import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Push-T episodes for the evaluations: the recorder's episodes, with the block's pose. */
class PushTEvalEpisodesTest {

  @Test
  void shouldGenerateTheEpisodesTheRecorderWritesWithTheBlockPose() {
    EvalEpisodes eps = EvalEpisodes.generate(PushTConfig.DEFAULT, 1001, 3, 20, "mixed");

    // the same loop as DatasetRecorder.recordPushT: episode seed, policy seeded with ~seed
    PushTWorld world = new PushTWorld(PushTConfig.DEFAULT);
    WorldPolicy policy = world.policy("mixed");
    byte[] rgb = new byte[world.frameBytes()];
    float[] action = new float[2];
    for (int e = 0; e < 3; e++) {
      long es = DatasetRecorder.episodeSeed(1001, e);
      world.reset(es);
      policy.reset(new Random(~es));
      for (int t = 0; t < 20; t++) {
        if (t > 0) {
          world.step(action[0], action[1]);
        }
        world.render(rgb);
        assertThat(
                java.util.Arrays.copyOfRange(eps.frames(e), t * rgb.length, (t + 1) * rgb.length))
            .as("episode %d frame %d", e, t)
            .isEqualTo(rgb);
        BlockPose b = world.block();
        assertThat(eps.blocks(e)[3 * t]).isEqualTo(b.x());
        assertThat(eps.blocks(e)[3 * t + 1]).isEqualTo(b.y());
        assertThat(eps.blocks(e)[3 * t + 2]).isEqualTo(b.angle());
        assertThat(eps.positions(e)[2 * t]).isEqualTo(world.agentX());
        policy.act(action);
        assertThat(eps.actions(e)[2 * t]).isEqualTo(action[0]);
      }
    }
    assertThat(eps.hasBlocks()).isTrue();
    assertThat(eps.config().worldName()).isEqualTo("pusht");
  }

  @Test
  void shouldLabelPushTViolationsAndReplayACleanTwin() {
    PushTConfig violated = PushTConfig.builder().violationRate(0.2).build();
    EvalEpisodes v = EvalEpisodes.generate(violated, 11, 4, 30, "mixed");
    EvalEpisodes c = EvalEpisodes.replay(PushTConfig.DEFAULT, v);

    int labelled = 0;
    int frameBytes = PushTConfig.DEFAULT.frameBytes();
    for (int e = 0; e < 4; e++) {
      int first = 30;
      for (int t = 0; t < 30; t++) {
        byte code = v.labels(e)[t];
        if (code != 0) {
          assertThat(code).as("Push-T codes").isBetween((byte) 4, (byte) 6);
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
      assertThat(c.hasBlocks()).isTrue();
    }
    assertThat(labelled).isPositive();
  }

  @Test
  void shouldRefuseAnotherWorldsPolicyAndHaveNoBlockInTwoRooms() {
    assertThatThrownBy(() -> EvalEpisodes.generate(PushTConfig.DEFAULT, 1, 2, 5, "door"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("door");
    EvalEpisodes tr = EvalEpisodes.generate(WorldConfig.DEFAULT, 1, 2, 5, "mixed");
    assertThat(tr.hasBlocks()).isFalse();
    assertThatThrownBy(() -> tr.blocks(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Push-T");
  }
}
