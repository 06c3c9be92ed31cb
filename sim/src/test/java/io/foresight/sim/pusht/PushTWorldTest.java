package io.foresight.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.sim.world.GoalPose;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PushTWorldTest {
  private static final PushTConfig CFG = PushTConfig.DEFAULT;

  /** An upright T at (40, 32); the agent left of its bar, on the bar's row. */
  private static PushTWorld besideTheBar() {
    PushTWorld w = new PushTWorld(CFG, 1);
    float barRow = 32 - CFG.centroidFromTop() + CFG.thickness() / 2;
    w.reset(1, 20, barRow, new BlockPose(40, 32, 0), new BlockPose(32, 32, 0));
    return w;
  }

  @Test
  void shouldMoveTheBlockWhenTheAgentPushesIt() {
    PushTWorld w = besideTheBar();
    BlockPose before = w.block();
    boolean touched = false;
    for (int t = 0; t < 20; t++) {
      w.step(1f, 0f);
      touched |= w.agentTouchesBlock();
    }
    assertThat(touched).isTrue();
    assertThat(w.block().x() - before.x()).isGreaterThan(10f);
    // The agent stays outside the block: contacts, not overlap.
    assertThat(w.agentOverlapsBlock()).isFalse();
  }

  @Test
  void shouldTurnTheBlockWhenPushedOffCentre() {
    PushTWorld w = besideTheBar();
    for (int t = 0; t < 15; t++) {
      w.step(1f, 0f);
    }
    // Pushing the bar's end above the centre of mass turns the T (clockwise on screen: +).
    assertThat(Math.toDegrees(w.block().angle())).isGreaterThan(10);
  }

  @Test
  void shouldNotMoveTheBlockWithoutContact() {
    PushTWorld w = new PushTWorld(CFG, 2);
    w.reset(2, 10, 10, new BlockPose(44, 44, 0.3f), new BlockPose(32, 32, 0));
    BlockPose before = w.block();
    for (int t = 0; t < 60; t++) {
      // A small loop in the top-left corner, far from the block.
      float a = (float) (t * Math.PI / 8);
      w.step((float) Math.cos(a), (float) Math.sin(a));
      assertThat(w.agentTouchesBlock()).isFalse();
    }
    assertThat(w.block()).isEqualTo(before);
  }

  @Test
  void shouldStopTheAgentAtTheWalls() {
    PushTWorld w = new PushTWorld(CFG, 3);
    w.reset(3, 50, 10, new BlockPose(24, 40, 0), new BlockPose(32, 32, 0));
    float limit = 64 - CFG.wallThickness() - CFG.agentRadius();
    for (int t = 0; t < 30; t++) {
      w.step(1f, -1f);
      assertThat(w.agentX()).isLessThanOrEqualTo(limit + 0.05f);
      assertThat(w.agentY())
          .isGreaterThanOrEqualTo(CFG.wallThickness() + CFG.agentRadius() - 0.05f);
    }
    assertThat(w.agentX()).isCloseTo(limit, within(0.1f));
    assertThat(w.agentVx()).isCloseTo(0f, within(0.05f));
  }

  @Test
  void shouldStopTheBlockAtTheWalls() {
    PushTWorld w = besideTheBar();
    float rightmost = 0;
    for (int t = 0; t < 60; t++) {
      // Keep pushing right along the bar's row, re-aiming at the bar as it goes.
      float dy = (w.block().y() - CFG.centroidFromTop() + CFG.thickness() / 2 - w.agentY()) / 2.5f;
      w.step(1f, Math.max(-1f, Math.min(1f, dy)));
      rightmost = Math.max(rightmost, w.block().x());
    }
    BlockPose settled = w.block();
    for (int t = 0; t < 10; t++) {
      w.step(1f, 0f);
    }
    // The block's centre cannot get closer to the wall than its half-thickness (it may turn).
    assertThat(rightmost).isLessThan(64 - CFG.wallThickness() - CFG.thickness() / 2);
    assertThat(w.block().distanceTo(settled)).isLessThan(0.5f);
  }

  @Test
  void shouldProduceIdenticalFramesAndStatesForTheSameSeedAndActions() {
    PushTConfig cfg = CFG.toBuilder().violationRate(0.05).build();
    List<float[]> a = new ArrayList<>();
    List<float[]> b = new ArrayList<>();
    List<float[]> c = new ArrayList<>();
    byte[] fa = run(42, cfg, a);
    byte[] fb = run(42, cfg, b);
    byte[] fc = run(43, cfg, c);
    assertThat(fa).isEqualTo(fb);
    for (int t = 0; t < a.size(); t++) {
      assertThat(a.get(t)).containsExactly(b.get(t));
    }
    assertThat(Arrays.equals(fa, fc)).isFalse();
  }

  private static byte[] run(long seed, PushTConfig cfg, List<float[]> states) {
    PushTWorld w = new PushTWorld(cfg, seed);
    WorldPolicy p = w.policy("mixed");
    p.reset(new Random(7));
    byte[] frame = new byte[cfg.frameBytes()];
    byte[] all = new byte[cfg.frameBytes() * 60];
    float[] act = new float[2];
    for (int t = 0; t < 60; t++) {
      w.render(frame);
      System.arraycopy(frame, 0, all, t * frame.length, frame.length);
      BlockPose bp = w.block();
      float[] pr = w.proprioception();
      states.add(new float[] {pr[0], pr[1], pr[2], pr[3], bp.x(), bp.y(), bp.angle()});
      p.act(act);
      w.step(act[0], act[1]);
    }
    return all;
  }

  @Test
  void shouldRenderFramesOfTheConfiguredSize() {
    PushTConfig big = CFG.toBuilder().size(96, 80).build();
    PushTWorld w = new PushTWorld(big, 5);
    assertThat(w.width()).isEqualTo(96);
    assertThat(w.height()).isEqualTo(80);
    byte[] rgb = new byte[96 * 80 * 3];
    w.render(rgb);
    // The block covers about its area times the scale squared in block-coloured pixels.
    double block = blockPixels(rgb);
    double expected = CFG.blockArea() * big.scale() * big.scale();
    assertThat(block).isCloseTo(expected, within(0.1 * expected));
    assertThatThrownBy(() -> w.render(new byte[64 * 64 * 3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must hold height*width*3 = 23040 bytes");
  }

  private static double blockPixels(byte[] rgb) {
    double m = 0;
    int full = PushTWorld.BLOCK_RGB & 0xff;
    for (int o = 0; o < rgb.length; o += 3) {
      // Blue minus red: the block is the only colour with blue above red.
      m += Math.max(0, (rgb[o + 2] & 0xff) - (rgb[o] & 0xff)) / (double) (full - 0x30);
    }
    return m;
  }

  @Test
  void shouldReportPosesInPixelsOfTheImage() {
    PushTConfig big = CFG.toBuilder().size(128, 128).build();
    PushTWorld small = new PushTWorld(CFG, 9);
    PushTWorld large = new PushTWorld(big, 9);
    assertThat(large.block().x()).isCloseTo(2 * small.block().x(), within(1e-3f));
    assertThat(large.block().angle()).isEqualTo(small.block().angle());
    small.step(1, 0.5f);
    large.step(1, 0.5f);
    assertThat(large.agentVx()).isCloseTo(2 * small.agentVx(), within(1e-3f));
    assertThat(big.successPixels()).isEqualTo(4f);
  }

  @Test
  void shouldDrawTheGoalImageWithoutTheAgent() {
    PushTWorld w = new PushTWorld(CFG, 11);
    byte[] goal = new byte[CFG.frameBytes()];
    w.renderGoal(w.goal(), goal);
    double agent = 0;
    for (int o = 0; o < goal.length; o += 3) {
      agent += Math.max(0, (goal[o] & 0xff) - (goal[o + 1] & 0xff));
    }
    assertThat(agent).isZero();
    assertThat(blockPixels(goal)).isCloseTo(CFG.blockArea(), within(0.1 * CFG.blockArea()));
    byte[] frame = new byte[CFG.frameBytes()];
    w.renderGoal(w.goal(), w.agentX(), w.agentY(), frame);
    assertThat(Arrays.equals(goal, frame)).isFalse();
  }

  @Test
  void shouldMeetTheSuccessCriterionWithinTwoPixelsAndTenDegrees() {
    BlockPose goal = new BlockPose(32, 32, 0.5f);
    assertThat(CFG.success(new BlockPose(33.9f, 32, 0.5f + (float) Math.toRadians(9.9)), goal))
        .isTrue();
    assertThat(CFG.success(new BlockPose(34.1f, 32, 0.5f), goal)).isFalse();
    assertThat(CFG.success(new BlockPose(32, 32, 0.5f - (float) Math.toRadians(10.1)), goal))
        .isFalse();
    // Angles compare modulo a full turn.
    assertThat(CFG.success(new BlockPose(32, 32, 0.05f), new BlockPose(32, 32, 6.3f))).isTrue();
  }

  @Test
  void shouldLabelAndShowABlockTeleport() {
    PushTWorld w = new PushTWorld(violating(Violation.Kind.BLOCK_TELEPORT), 13);
    BlockPose before = w.block();
    w.step(0, 0);
    Violation v = w.currentViolation();
    assertThat(v.kind()).isEqualTo(Violation.Kind.BLOCK_TELEPORT);
    assertThat(v.step()).isEqualTo(1);
    assertThat(w.violationCode()).isEqualTo(4);
    assertThat(w.block().distanceTo(before)).isGreaterThanOrEqualTo(CFG.teleportMinDistance());
    assertThat(w.agentOverlapsBlock()).isFalse();
  }

  @Test
  void shouldLabelAndShowABlockTurningWithoutContact() {
    PushTWorld w = new PushTWorld(violating(Violation.Kind.BLOCK_SPIN), 1);
    w.reset(1, 10, 10, new BlockPose(40, 40, 0), new BlockPose(32, 32, 0));
    BlockPose before = w.block();
    w.step(0, 0);
    assertThat(w.currentViolation().kind()).isEqualTo(Violation.Kind.BLOCK_SPIN);
    assertThat(w.violationCode()).isEqualTo(5);
    assertThat(w.agentTouchesBlock()).isFalse();
    assertThat(w.block().distanceTo(before)).isLessThan(1e-3f);
    assertThat(Math.toDegrees(w.block().angleTo(before)))
        .isGreaterThanOrEqualTo(CFG.spinMinDegrees() - 1e-3);
  }

  @Test
  void shouldLabelAndShowTheBlockPassingThroughTheAgent() {
    PushTWorld w = new PushTWorld(violating(Violation.Kind.BLOCK_THROUGH_AGENT), 1);
    float barRow = 32 - CFG.centroidFromTop() + CFG.thickness() / 2;
    w.reset(1, 40 - 8 - 3.5f, barRow, new BlockPose(40, 32, 0), new BlockPose(32, 32, 0));
    BlockPose before = w.block();
    w.step(0, 0);
    assertThat(w.currentViolation().kind()).isEqualTo(Violation.Kind.BLOCK_THROUGH_AGENT);
    assertThat(w.violationCode()).isEqualTo(6);
    assertThat(w.agentOverlapsBlock()).isTrue();
    assertThat(w.block()).isEqualTo(before);
    // Next frame: the agent is on the far side, the block has not moved, nothing is labelled.
    w.step(-1, 0);
    assertThat(w.currentViolation()).isNull();
    assertThat(w.agentOverlapsBlock()).isFalse();
    assertThat(w.agentX()).isGreaterThan(before.x());
    assertThat(w.block()).isEqualTo(before);
    assertThat(w.violations()).hasSize(1);
  }

  private static PushTConfig violating(Violation.Kind kind) {
    return CFG.toBuilder().violationRate(1.0).violationKinds(EnumSet.of(kind)).build();
  }

  @Test
  void shouldRefuseTheOtherWorldsViolationKinds() {
    assertThatThrownBy(
            () -> CFG.toBuilder().violationKinds(EnumSet.of(Violation.Kind.TELEPORT)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one of the Push-T world's");
    assertThatThrownBy(
            () ->
                WorldConfig.builder().violationKinds(EnumSet.of(Violation.Kind.BLOCK_SPIN)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one of the Two-Rooms world's");
  }

  @Test
  void shouldRefuseAnArenaTooSmallForTheBlock() {
    assertThatThrownBy(() -> CFG.toBuilder().size(128, 48).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is too small for the block");
    assertThat(CFG.toBuilder().size(96, 80).build().arenaHeight()).isCloseTo(53.33f, within(0.01f));
  }

  @Test
  void shouldRefuseAGoalInsideAWall() {
    PushTWorld w = new PushTWorld(CFG, 1);
    assertThat(w.goalProblem(new GoalPose(32, 32, 0))).isNull();
    assertThat(w.goalProblem(new GoalPose(4, 32, 0)))
        .contains("puts the block into a wall of the 64x64 world");
  }

  /**
   * The scripted push (no noise) on seeds 0-29, 300 steps each. Measured when written: the pose
   * error (pixels + 10 x radians) at least halves in 28 of 30 episodes and 24 of 30 end within the
   * success criterion (on seeds 0-99: 92 and 82). The world is deterministic, so the figures do not
   * vary between runs; the bounds leave room for small changes of the physics.
   */
  @Test
  void shouldReduceThePoseErrorWithScriptedPushesForMostSeeds() {
    int halved = 0;
    int succeeded = 0;
    float[] a = new float[2];
    for (int seed = 0; seed < 30; seed++) {
      PushTWorld w = new PushTWorld(CFG, seed);
      WorldPolicy push = PushTPolicy.push(w, 0.0);
      push.reset(new Random(seed));
      double before = error(w.block(), w.goal());
      for (int t = 0; t < 300 && !w.success(); t++) {
        push.act(a);
        w.step(a[0], a[1]);
      }
      halved += error(w.block(), w.goal()) <= before / 2 ? 1 : 0;
      succeeded += w.success() ? 1 : 0;
    }
    assertThat(halved).isGreaterThanOrEqualTo(24);
    assertThat(succeeded).isGreaterThanOrEqualTo(20);
  }

  private static double error(BlockPose b, BlockPose g) {
    return b.distanceTo(g) + 10 * b.angleTo(g);
  }
}
