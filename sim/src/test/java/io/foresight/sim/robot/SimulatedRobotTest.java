package io.foresight.sim.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.ingest.IngestException;
import io.foresight.ingest.IngestOptions;
import io.foresight.schemas.avro.ActionSource;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.PlannerStats;
import io.foresight.schemas.avro.SensorReading;
import io.foresight.sim.world.WorldConfig;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedRobotTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-11-28T12:00:00Z"));

  private static SimulatedRobot robot(GoalSpec goal) {
    return SimulatedRobot.builder().streamId("r1").seed(3).goal(goal).clock(CLOCK).build();
  }

  static Plan plan(SimulatedRobot r, String id, long basedOn, float[]... rows) {
    List<List<Float>> actions = new ArrayList<>();
    for (float[] row : rows) {
      actions.add(List.of(row[0], row[1]));
    }
    return Plan.newBuilder()
        .setStreamId(r.streamId())
        .setPlanId(id)
        .setGoalId(r.goalId())
        .setTimeUs(0)
        .setBasedOnSequence(basedOn)
        .setActions(actions)
        .setExpectedCost(1.0)
        .setStats(new PlannerStats("cem", 300, 3, 4.2, false, 0L, 0.0))
        .build();
  }

  @Test
  void shouldStartWithGoalFrameAndProprioception() {
    SimulatedRobot r = robot(GoalSpec.RANDOM);
    List<Object> first = r.start();
    assertThat(first).hasSize(3);
    Goal g = (Goal) first.get(0);
    assertThat(g.getGoalId()).isEqualTo("r1/goal-0");
    assertThat(g.getTolerance()).isEqualTo(4f);
    assertThat(((GoalImage) g.getTarget()).getData().remaining()).isEqualTo(64 * 64 * 3);
    CameraFrame f = (CameraFrame) first.get(1);
    assertThat(f.getSequence()).isZero();
    assertThat(f.getCaptureTimeUs()).isEqualTo(CLOCK.instant().toEpochMilli() * 1000);
    SensorReading p = (SensorReading) first.get(2);
    assertThat(p.getKind()).isEqualTo("proprio");
    assertThat(p.getNames()).containsExactly("x", "y", "vx", "vy");
    assertThat(p.getValues().get(0)).isCloseTo(r.world().agentX(), within(1e-4));
  }

  @Test
  void shouldExecuteTheFirstActionOfAFreshPlanAndSayWhichPlan() {
    SimulatedRobot r = robot(GoalSpec.RANDOM);
    r.start();
    float x0 = r.world().agentX();
    float y0 = r.world().agentY();
    assertThat(r.offer(plan(r, "p-1", 0, new float[] {0.4f, -0.2f}, new float[] {-1, -1})))
        .isTrue();
    SimulatedRobot.StepResult s = r.step();
    assertThat(s.planned()).isTrue();
    assertThat(s.action().getSource()).isEqualTo(ActionSource.PLANNER);
    assertThat(s.action().getPlanId()).isEqualTo("p-1");
    assertThat(s.action().getFrameSequence()).isEqualTo(0L);
    assertThat(s.action().getValues()).containsExactly(0.4f, -0.2f);
    assertThat(s.frame().getSequence()).isEqualTo(1);
    assertThat(r.world().agentX() - x0).isCloseTo(1.0f, within(1e-4f));
    assertThat(r.world().agentY() - y0).isCloseTo(-0.5f, within(1e-4f));
    assertThat(r.stats().plannedSteps()).isEqualTo(1);
  }

  @Test
  void shouldContinueALatePlanAtTheMatchingRowAndDropStalePlans() {
    SimulatedRobot r =
        SimulatedRobot.builder()
            .streamId("r1")
            .seed(3)
            .options(IngestOptions.builder().set(IngestOptions.PLAN_MAX_LAG_FRAMES, 2).build())
            .build();
    r.start();
    r.step();
    r.step();
    r.offer(plan(r, "late", 0, new float[] {0, 0}, new float[] {0, 0}, new float[] {0.2f, 0}));
    SimulatedRobot.StepResult s = r.step();
    assertThat(s.action().getPlanId()).isEqualTo("late");
    assertThat(s.action().getValues()).containsExactly(0.2f, 0f);
    SimulatedRobot.StepResult stale = r.step();
    assertThat(stale.planned()).isFalse();
    assertThat(stale.action().getSource()).isEqualTo(ActionSource.POLICY);
    assertThat(stale.action().getPlanId()).isNull();
    assertThat(stale.action().getValues()).containsExactly(0f, 0f);
  }

  @Test
  void shouldIgnorePlansForAnotherGoalOrStream() {
    SimulatedRobot r = robot(GoalSpec.RANDOM);
    r.start();
    Plan other =
        Plan.newBuilder(plan(r, "p", 0, new float[] {1, 1})).setGoalId("someone-else").build();
    assertThat(r.offer(other)).isFalse();
    Plan otherStream =
        Plan.newBuilder(plan(r, "p", 0, new float[] {1, 1})).setStreamId("r2").build();
    assertThat(r.offer(otherStream)).isFalse();
    assertThat(r.step().planned()).isFalse();
    assertThat(r.stats().plansIgnored()).isEqualTo(1);
  }

  @Test
  void shouldReportReachingAFixedGoal() {
    SimulatedRobot r = robot(GoalSpec.RANDOM);
    float gx = r.world().agentX() + 10 > 27 ? r.world().agentX() - 10 : r.world().agentX() + 10;
    if (r.world().agentX() > 34) {
      gx = r.world().agentX() + 10 > 61 ? r.world().agentX() - 10 : r.world().agentX() + 10;
    }
    SimulatedRobot fixed =
        SimulatedRobot.builder()
            .streamId("r1")
            .seed(3)
            .goal(GoalSpec.at(gx, r.world().agentY()))
            .build();
    fixed.start();
    float dir = Math.signum(gx - fixed.world().agentX());
    SimulatedRobot.StepResult s = null;
    for (int i = 0; i < 10; i++) {
      fixed.offer(plan(fixed, "p" + i, fixed.sequence(), new float[] {dir, 0}));
      s = fixed.step();
      if (s.reached() != null) {
        break;
      }
    }
    assertThat(s.reached()).isNotNull();
    assertThat(s.reached().finalDistance()).isLessThan(4f);
    assertThat(fixed.stats().goalsReached()).isEqualTo(1);
    assertThat(fixed.stats().distances()).isNotEmpty();
    assertThat(s.newGoal()).as("a fixed goal stays").isNull();
  }

  @Test
  void shouldSetANewRandomGoalAfterTheTimeout() {
    SimulatedRobot r =
        SimulatedRobot.builder()
            .streamId("r1")
            .seed(3)
            .options(IngestOptions.builder().set(IngestOptions.GOAL_TIMEOUT_STEPS, 3).build())
            .build();
    r.start();
    r.step();
    r.step();
    SimulatedRobot.StepResult s = r.step();
    assertThat(s.newGoal()).isNotNull();
    assertThat(s.newGoal().getGoalId()).isEqualTo("r1/goal-1");
    assertThat(r.stats().goalsFailed()).isEqualTo(1);
  }

  @Test
  void shouldRecordInjectedViolationsWithTheirSequence() {
    SimulatedRobot r =
        SimulatedRobot.builder()
            .streamId("r1")
            .seed(3)
            .world(WorldConfig.builder().violationRate(0.5).build())
            .build();
    r.start();
    for (int i = 0; i < 30; i++) {
      SimulatedRobot.StepResult s = r.step();
      if (s.violation() != null) {
        assertThat(s.violation().step()).isEqualTo(s.frame().getSequence());
        assertThat(s.frame().getMetadata())
            .containsEntry("sim.violation", s.violation().kind().name());
      }
    }
    assertThat(r.stats().violations()).isNotEmpty();
  }

  @Test
  void shouldRecordThePushTGoalAngleAndTheBlocksAngleErrorPerFrame() {
    SimulatedRobot r =
        SimulatedRobot.builder()
            .streamId("r1")
            .seed(3)
            .world(io.foresight.sim.pusht.PushTConfig.DEFAULT)
            .goal(GoalSpec.at(32, 32, (float) Math.toRadians(90)))
            .build();
    r.start();
    r.step();
    RobotStats s = r.stats();
    assertThat(s.goals().get(0).angle()).isEqualTo((float) Math.toRadians(90));
    io.foresight.sim.pusht.BlockPose block =
        ((io.foresight.sim.pusht.PushTWorld) r.world()).block();
    RobotStats.DistanceSample last = s.distances().get(s.distances().size() - 1);
    assertThat(last.angleError())
        .isEqualTo(
            block.angleTo(
                new io.foresight.sim.pusht.BlockPose(32, 32, (float) Math.toRadians(90))));
    assertThat(last.distance())
        .isEqualTo(block.distanceTo(new io.foresight.sim.pusht.BlockPose(32, 32, 0)));
  }

  @Test
  void shouldRecordNoAngleErrorInTwoRooms() {
    SimulatedRobot r = robot(GoalSpec.at(10, 10));
    r.start();
    r.step();
    assertThat(r.stats().distances()).allSatisfy(d -> assertThat(d.angleError()).isZero());
  }

  @Test
  void shouldRefuseAGoalInsideTheWall() {
    assertThatThrownBy(() -> robot(GoalSpec.at(31, 5)))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("not a free position");
  }

  @Test
  void shouldParseGoalSpecs() {
    assertThat(GoalSpec.parse("random").random()).isTrue();
    assertThat(GoalSpec.parse("48, 20")).isEqualTo(GoalSpec.at(48, 20));
    assertThatThrownBy(() -> GoalSpec.parse("north")).hasMessageContaining("neither 'random'");
  }
}
