package io.foresight.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoRoomsWorldTest {
  private static final WorldConfig CFG = WorldConfig.DEFAULT;

  @Test
  void shouldUseTheTwoRoomsGeometryByDefault() {
    assertThat(CFG.width()).isEqualTo(64);
    assertThat(CFG.height()).isEqualTo(64);
    assertThat(CFG.wallLeft()).isEqualTo(30);
    assertThat(CFG.wallRight()).isEqualTo(34);
    assertThat(CFG.doorHeight()).isEqualTo(16);
    assertThat(CFG.agentRadius()).isEqualTo(3f);
    assertThat(CFG.maxStep()).isEqualTo(2.5f);
    WorldConfig big = WorldConfig.builder().size(128, 128).build();
    assertThat(big.wallLeft()).isEqualTo(60);
    assertThat(big.wallRight()).isEqualTo(68);
    assertThat(big.doorHeight()).isEqualTo(32);
  }

  @Test
  void shouldProduceIdenticalFramesForTheSameSeedAndActions() {
    byte[] a = run(42, WorldConfig.builder().balls(2).violationRate(0.05).build());
    byte[] b = run(42, WorldConfig.builder().balls(2).violationRate(0.05).build());
    byte[] c = run(43, WorldConfig.builder().balls(2).violationRate(0.05).build());
    assertThat(a).isEqualTo(b);
    assertThat(Arrays.equals(a, c)).isFalse();
  }

  private static byte[] run(long seed, WorldConfig cfg) {
    TwoRoomsWorld w = new TwoRoomsWorld(cfg, seed);
    Random actions = new Random(7);
    byte[] frame = new byte[cfg.frameBytes()];
    byte[] all = new byte[cfg.frameBytes() * 50];
    for (int t = 0; t < 50; t++) {
      w.render(frame);
      System.arraycopy(frame, 0, all, t * frame.length, frame.length);
      w.step(actions.nextFloat() * 2 - 1, actions.nextFloat() * 2 - 1);
    }
    return all;
  }

  @Test
  void shouldNeverOverlapTheWallAndCrossOnlyThroughTheDoor() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    Random rng = new Random(1);
    ExplorationPolicy door = ExplorationPolicy.throughDoor();
    float r = CFG.agentRadius();
    int crossings = 0;
    for (int episode = 0; episode < 300; episode++) {
      w.reset(rng.nextLong());
      boolean steer = episode % 2 == 0;
      door.reset(w, rng);
      float[] a = new float[2];
      for (int t = 0; t < 100; t++) {
        float px = w.agentX();
        float py = w.agentY();
        if (steer) {
          door.act(w, a);
        } else {
          // extreme and out-of-range actions too
          a[0] = (rng.nextFloat() * 2 - 1) * 1.5f;
          a[1] = (rng.nextFloat() * 2 - 1) * 1.5f;
        }
        w.step(a[0], a[1]);
        float x = w.agentX();
        float y = w.agentY();
        assertThat(w.isFree(x, y)).as("agent at (%s, %s) overlaps a wall", x, y).isTrue();
        assertThat(Math.hypot(x - px, y - py)).isLessThanOrEqualTo(CFG.maxStep() + 1e-4);
        if (x > CFG.wallLeft() && x < CFG.wallRight()) {
          assertThat(y).isBetween(w.doorTop() + r - 1e-3f, w.doorBottom() - r + 1e-3f);
        }
        if (w.room(px) != w.room(x)) {
          crossings++;
          float midY = (py + y) / 2;
          assertThat(midY).isBetween((float) w.doorTop(), (float) w.doorBottom());
        }
      }
    }
    assertThat(crossings).as("door crossings seen").isGreaterThan(50);
  }

  @Test
  void shouldSlideAlongTheWallWhenPushedIntoIt() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    w.reset(3, 40, 26.9f, 10f);
    w.step(1f, 1f);
    assertThat(w.agentX()).isLessThanOrEqualTo(27.0001f).isGreaterThan(26.5f);
    assertThat(w.agentY()).isGreaterThan(11.5f);
  }

  @Test
  void shouldClampActionsAndTreatNanAsZero() {
    TwoRoomsWorld a = new TwoRoomsWorld(CFG, 5);
    TwoRoomsWorld b = new TwoRoomsWorld(CFG, 5);
    a.step(7f, -9f);
    b.step(1f, -1f);
    assertThat(a.agentX()).isEqualTo(b.agentX());
    assertThat(a.agentY()).isEqualTo(b.agentY());
    float x = a.agentX();
    float y = a.agentY();
    a.step(Float.NaN, Float.NaN);
    assertThat(a.agentX()).isEqualTo(x);
    assertThat(a.agentY()).isEqualTo(y);
    assertThat(a.agentVx()).isZero();
  }

  @Test
  void shouldReportProprioceptionAsPositionAndDisplacement() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    w.reset(9, 20, 10f, 10f);
    w.step(1f, 0f);
    float[] p = w.proprioception();
    assertThat(p[0]).isCloseTo(12.5f, within(1e-4f));
    assertThat(p[1]).isCloseTo(10f, within(1e-4f));
    assertThat(p[2]).isCloseTo(2.5f, within(1e-4f));
    assertThat(p[3]).isCloseTo(0f, within(1e-4f));
  }

  @Test
  void shouldRenderTheAgentWhereTheStateSays() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    byte[] frame = new byte[CFG.frameBytes()];
    Random rng = new Random(11);
    for (int i = 0; i < 40; i++) {
      Room room = i % 2 == 0 ? Room.LEFT : Room.RIGHT;
      Position p = w.randomFreePosition(rng, room);
      w.reset(i, 24, p.x(), p.y());
      w.render(frame);
      double[] c = Frames.agentCentroid(frame, 64, 64);
      assertThat(c).isNotNull();
      assertThat(c[0]).as("x of %s", p).isCloseTo(p.x(), within(0.1));
      assertThat(c[1]).as("y of %s", p).isCloseTo(p.y(), within(0.1));
      assertThat(Frames.agentMass(frame, 64, 64)).isCloseTo(Math.PI * 9, within(1.0));
    }
  }

  @Test
  void shouldDrawTheWallWithTheDoorOpen() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    w.reset(1, 20, 10f, 50f);
    byte[] frame = new byte[CFG.frameBytes()];
    w.render(frame);
    int wall = TwoRoomsWorld.WALL_RGB >> 16;
    assertThat(frame[(5 * 64 + 31) * 3] & 0xff).isEqualTo(wall);
    assertThat(frame[(19 * 64 + 33) * 3] & 0xff).isEqualTo(wall);
    assertThat(frame[(20 * 64 + 31) * 3] & 0xff).isZero();
    assertThat(frame[(35 * 64 + 31) * 3] & 0xff).isZero();
    assertThat(frame[(36 * 64 + 31) * 3] & 0xff).isEqualTo(wall);
    assertThat(frame[(5 * 64 + 29) * 3] & 0xff).isZero();
    assertThat(frame[(5 * 64 + 34) * 3] & 0xff).isZero();
  }

  @Test
  void shouldRenderGoalImagesWithTheAgentAtTheGoalAndNoBalls() {
    TwoRoomsWorld w = new TwoRoomsWorld(WorldConfig.builder().balls(3).build(), 2);
    byte[] goal = new byte[CFG.frameBytes()];
    w.renderGoal(50.25f, 12.5f, goal);
    double[] c = Frames.agentCentroid(goal, 64, 64);
    assertThat(c[0]).isCloseTo(50.25, within(0.1));
    assertThat(c[1]).isCloseTo(12.5, within(0.1));
    for (int i = 0; i < goal.length; i += 3) {
      assertThat(goal[i + 2] & 0xff)
          .as("no ball colour")
          .isNotEqualTo(TwoRoomsWorld.BALL_RGB & 0xff);
    }
  }

  @Test
  void shouldRefuseAWrongBufferSize() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    assertThatThrownBy(() -> w.render(new byte[10]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12288");
  }

  @Test
  void shouldBounceBallsOffWallsAndKeepThemInside() {
    WorldConfig cfg = WorldConfig.builder().balls(3).ballSpeed(2f).build();
    TwoRoomsWorld w = new TwoRoomsWorld(cfg, 4);
    for (int t = 0; t < 500; t++) {
      w.step(0, 0);
      for (int i = 0; i < w.ballCount(); i++) {
        Position b = w.ball(i);
        assertThat(b.x()).isBetween(cfg.ballRadius(), 64 - cfg.ballRadius());
        assertThat(b.y()).isBetween(cfg.ballRadius(), 64 - cfg.ballRadius());
      }
    }
  }

  @Test
  void shouldShowATeleportAtItsLabelledStep() {
    WorldConfig cfg = alwaysViolating(Violation.Kind.TELEPORT);
    TwoRoomsWorld w = new TwoRoomsWorld(cfg, 8);
    byte[] before = new byte[cfg.frameBytes()];
    byte[] after = new byte[cfg.frameBytes()];
    w.render(before);
    w.step(0, 0);
    Violation v = w.currentViolation();
    assertThat(v).isNotNull();
    assertThat(v.kind()).isEqualTo(Violation.Kind.TELEPORT);
    assertThat(v.step()).isEqualTo(1);
    assertThat(w.violationCode()).isEqualTo(1);
    w.render(after);
    double[] c0 = Frames.agentCentroid(before, 64, 64);
    double[] c1 = Frames.agentCentroid(after, 64, 64);
    assertThat(Math.hypot(c1[0] - c0[0], c1[1] - c0[1]))
        .isGreaterThanOrEqualTo(cfg.teleportMinDistance() - 0.2);
    assertThat(c1[0]).isCloseTo(w.agentX(), within(0.1));
  }

  @Test
  void shouldShowAVanishAtItsLabelledStepAndTheReappearance() {
    WorldConfig cfg =
        WorldConfig.builder()
            .violationRate(1.0)
            .violationKinds(EnumSet.of(Violation.Kind.VANISH))
            .vanishSteps(3)
            .build();
    TwoRoomsWorld w = new TwoRoomsWorld(cfg, 8);
    byte[] frame = new byte[cfg.frameBytes()];
    w.step(0.5f, 0);
    assertThat(w.currentViolation().kind()).isEqualTo(Violation.Kind.VANISH);
    assertThat(w.currentViolation().step()).isEqualTo(1);
    w.render(frame);
    assertThat(Frames.agentMass(frame, 64, 64)).isZero();
    w.step(0, 0);
    w.step(0, 0);
    assertThat(w.currentViolation()).isNull();
    w.step(0, 0);
    assertThat(w.currentViolation().kind()).isEqualTo(Violation.Kind.VANISH);
    assertThat(w.currentViolation().step()).isEqualTo(4);
    assertThat(w.currentViolation().detail()).contains("reappeared");
    w.render(frame);
    assertThat(Frames.agentMass(frame, 64, 64)).isCloseTo(Math.PI * 9, within(1.0));
  }

  @Test
  void shouldShowThroughWallAtItsLabelledStepAndThenTheFarSide() {
    WorldConfig cfg = alwaysViolating(Violation.Kind.THROUGH_WALL);
    TwoRoomsWorld w = new TwoRoomsWorld(cfg);
    w.reset(5, 40, 25f, 12f);
    byte[] frame = new byte[cfg.frameBytes()];
    w.step(0, 0);
    Violation v = w.currentViolation();
    assertThat(v.kind()).isEqualTo(Violation.Kind.THROUGH_WALL);
    assertThat(v.step()).isEqualTo(1);
    w.render(frame);
    double inWall = 0;
    for (int y = 0; y < 64; y++) {
      if (y >= w.doorTop() && y < w.doorBottom()) {
        continue;
      }
      for (int x = cfg.wallLeft(); x < cfg.wallRight(); x++) {
        inWall += Frames.agentWeight(frame, 64, x, y);
      }
    }
    assertThat(inWall).as("agent colour inside the solid wall").isGreaterThan(8);
    w.step(-1, 0);
    assertThat(w.agentRoom()).isEqualTo(Room.RIGHT);
    assertThat(w.isFree(w.agentX(), w.agentY())).isTrue();
    w.render(frame);
    assertThat(Frames.agentCentroid(frame, 64, 64)[0]).isGreaterThan(cfg.wallRight());
  }

  @Test
  void shouldWaitWithThroughWallUntilTheAgentIsNearASolidPartOfTheWall() {
    WorldConfig cfg = alwaysViolating(Violation.Kind.THROUGH_WALL);
    TwoRoomsWorld w = new TwoRoomsWorld(cfg);
    w.reset(5, 40, 8f, 12f);
    w.step(0, 0);
    assertThat(w.currentViolation()).isNull();
    for (int i = 0; i < 10 && w.currentViolation() == null; i++) {
      w.step(1, 0);
    }
    assertThat(w.currentViolation()).isNotNull();
    assertThat(w.violations()).hasSize(1);
  }

  @Test
  void shouldRefuseAStartPositionInsideTheWall() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    assertThatThrownBy(() -> w.reset(1, 20, 31f, 5f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlaps a wall");
  }

  @Test
  void shouldMeasurePathDistanceThroughTheDoor() {
    TwoRoomsWorld w = new TwoRoomsWorld(CFG);
    w.reset(1, 40, 10f, 10f);
    Position a = new Position(20, 10);
    Position b = new Position(44, 10);
    assertThat(w.pathDistance(a, b)).isGreaterThan(a.distanceTo(b) + 20);
    Position c = new Position(20, 48);
    assertThat(w.pathDistance(a, c)).isEqualTo(a.distanceTo(c));
  }

  /** A world that injects a violation of {@code kind} wherever it can. */
  private static WorldConfig alwaysViolating(Violation.Kind kind) {
    return WorldConfig.builder().violationRate(1.0).violationKinds(EnumSet.of(kind)).build();
  }
}
