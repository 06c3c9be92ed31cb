package io.foresight.sim.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.foresight.ingest.PublisherStats;
import io.foresight.schemas.avro.Plan;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobotMeasurementTest {
  private static final long T0_US = 1_764_331_200_000_000L;

  /** A clock the test moves by hand, in microseconds. */
  private static final class FakeClock implements InstantSource {
    final AtomicLong us = new AtomicLong(T0_US);

    @Override
    public Instant instant() {
      long t = us.get();
      return Instant.ofEpochSecond(t / 1_000_000, (t % 1_000_000) * 1000);
    }
  }

  private static SimulatedRobot robot(FakeClock clock, long warmup) {
    return SimulatedRobot.builder()
        .streamId("r1")
        .seed(3)
        .goal(GoalSpec.RANDOM)
        .clock(clock)
        .warmupSteps(warmup)
        .build();
  }

  private static Plan plan(SimulatedRobot r, long basedOn, long basedOnTimeUs, long skipped) {
    Plan p = SimulatedRobotTest.plan(r, "p-" + basedOn, basedOn, new float[] {0.1f, 0f});
    p.setBasedOnTimeUs(basedOnTimeUs);
    p.getStats().setSkipped(skipped);
    return p;
  }

  @Test
  void shouldRecordPlanAgeAsReceiveTimeMinusCaptureTimeOfItsFrame() {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 0);
    r.start();
    clock.us.addAndGet(40_000); // the plan arrives 40 ms after frame 0 was captured
    r.offer(plan(r, 0, T0_US, 0));
    Histogram h = r.stats().planLatencyUs();
    assertThat(h.getTotalCount()).isEqualTo(1);
    // HdrHistogram keeps 3 significant digits.
    assertThat(h.getMaxValue()).isCloseTo(40_000L, withinPercentage(0.1));
  }

  @Test
  void shouldLeavePlansOfWarmupFramesAndPlansWithNoKnownCaptureTimeOutOfTheLatency() {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 2);
    r.start();
    r.offer(plan(r, 0, T0_US, 0)); // warm-up frame
    r.offer(plan(r, 2, 0, 0)); // no capture time, and a frame the robot has not shown yet
    clock.us.addAndGet(10_000);
    r.offer(plan(r, 2, T0_US, 0));
    assertThat(r.stats().planLatencyUs().getTotalCount()).isEqualTo(1);
  }

  @Test
  void shouldUseItsOwnCaptureTimeForAPlanWithoutOne() {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 0);
    r.start();
    clock.us.addAndGet(100_000);
    r.step(); // frame 1 captured at T0 + 100 ms
    clock.us.addAndGet(100_000);
    r.step(); // frame 2
    clock.us.addAndGet(5_000);
    r.offer(plan(r, 1, 0, 0)); // an older job: no based_on_time_us
    Histogram h = r.stats().planLatencyUs();
    assertThat(h.getTotalCount()).isEqualTo(1);
    assertThat(h.getMaxValue()).isCloseTo(105_000L, withinPercentage(0.1));
  }

  @Test
  void shouldSumSkippedOverEveryPlanOfTheStream() {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 0);
    r.start();
    r.offer(plan(r, 0, T0_US, 3));
    Plan otherGoal = plan(r, 0, T0_US, 2);
    otherGoal.setGoalId("r1/goal-99");
    assertThat(r.offer(otherGoal)).isFalse();
    assertThat(r.stats().plansSkipped()).isEqualTo(5);
  }

  @Test
  void shouldCountFreshStepsAfterTheWarmupOnly() {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 2);
    r.start();
    r.step(); // seq 0: warm-up, no plan
    r.step(); // seq 1: warm-up, no plan
    r.offer(plan(r, 2, T0_US, 0));
    r.step(); // seq 2: fresh (lag 0)
    r.step(); // seq 3: plan has one row only: no-op
    RobotStats s = r.stats();
    assertThat(s.steps()).isEqualTo(4);
    assertThat(s.stepsAfterWarmup()).isEqualTo(2);
    assertThat(s.plannedStepsAfterWarmup()).isEqualTo(1);
    assertThat(s.framesPublished()).isEqualTo(5);
    FleetStats f = new FleetStats(List.of(s), 4, 0.4, 1, 0, null);
    assertThat(f.freshStepFraction()).isEqualTo(0.5);
  }

  @Test
  void shouldDealRobotsRoundRobinIntoPhaseGroupsSpreadOverThePeriod() {
    assertThat(RobotFleet.phaseGroups(64, 10, true, 0)).isEqualTo(RobotFleet.AUTO_PHASE_GROUPS);
    assertThat(RobotFleet.phaseGroups(4, 10, true, 0)).isEqualTo(4);
    assertThat(RobotFleet.phaseGroups(64, 10, false, 0)).isEqualTo(1);
    assertThat(RobotFleet.phaseGroups(64, 0, true, 0)).isEqualTo(1);
    assertThat(RobotFleet.phaseGroups(64, 10, true, 16)).isEqualTo(16);
    assertThat(RobotFleet.phaseOf(13, 10)).isEqualTo(3);
    RobotFleet fleet =
        RobotFleet.builder().robots(5).streamIdPrefix("s").phaseGroups(2).fps(10).build();
    assertThat(fleet.phaseGroups()).isEqualTo(2);
    assertThat(fleet.phaseGroup(0)).containsExactly("s-0", "s-2", "s-4");
    assertThat(fleet.phaseGroup(1)).containsExactly("s-1", "s-3");
    RobotFleet burst = RobotFleet.builder().robots(5).streamIdPrefix("s").stagger(false).build();
    assertThat(burst.phaseGroups()).isEqualTo(1);
  }

  @Test
  void shouldWriteAndReadTheStatsJsonWithPercentilesAndTheHistogram(@TempDir Path dir) {
    FakeClock clock = new FakeClock();
    SimulatedRobot r = robot(clock, 0);
    r.start();
    for (int i = 1; i <= 100; i++) {
      clock.us.set(T0_US + i * 1000L);
      r.offer(plan(r, 0, T0_US, 1));
    }
    r.step();
    FleetStats f =
        new FleetStats(List.of(r.stats()), 1, 0.1, 100, 0, new PublisherStats(3, 3, 0, 99, null));
    Path file = dir.resolve("robots.json");
    FleetReport.of(f, 10, 1, 0).write(file);
    FleetReport back = FleetReport.read(file);
    assertThat(back.robots()).isEqualTo(1);
    assertThat(back.framesPublished()).isEqualTo(2);
    assertThat(back.plansReceived()).isEqualTo(100);
    assertThat(back.plansSkipped()).isEqualTo(100);
    assertThat(back.frameToPlanMs().count()).isEqualTo(100);
    assertThat(back.frameToPlanMs().p50()).isBetween(49.9, 50.1);
    assertThat(back.frameToPlanMs().p99()).isBetween(98.9, 99.1);
    assertThat(back.frameToPlanMs().histogram().getTotalCount()).isEqualTo(100);
    assertThat(back.perRobot()).extracting(FleetReport.Robot::streamId).containsExactly("r1");
    assertThat(back.publisher().acked()).isEqualTo(3);
    assertThat(back.goals().attempted())
        .isEqualTo(back.goals().reached() + back.goals().timedOut());
  }
}
