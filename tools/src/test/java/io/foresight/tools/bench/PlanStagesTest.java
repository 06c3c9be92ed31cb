package io.foresight.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.PlannerStats;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanStagesTest {
  private static Plan plan(String stream, String goal, long seq, long capturedUs, long emittedUs) {
    return Plan.newBuilder()
        .setStreamId(stream)
        .setPlanId(stream + "/" + goal + "/" + seq)
        .setGoalId(goal)
        .setTimeUs(emittedUs)
        .setBasedOnSequence(seq)
        .setBasedOnTimeUs(capturedUs)
        .setActions(List.of(List.of(0f, 0f)))
        .setExpectedCost(1)
        .setStats(
            PlannerStats.newBuilder()
                .setPlanner("cem")
                .setSamples(64)
                .setIterations(3)
                .setElapsedMs(2)
                .setDeadlineHit(false)
                .setQueuedMs(5)
                .build())
        .build();
  }

  @Test
  void shouldSplitEachPlansTimeIntoItsStages() {
    PlanStages.Tally t = new PlanStages.Tally(Set.of("a"), 10);
    // captured at 1 s, emitted 30 ms later: 5 ms queued, 2 ms search, so 23 ms to the world model
    t.add(plan("a", "g-1", 10, 1_000_000, 1_030_000));
    t.add(plan("a", "g-1", 11, 1_100_000, 1_130_000));

    StreamsReport.PlanStages s = t.result();

    assertThat(s.captureToEmit().count()).isEqualTo(2);
    assertThat(s.captureToEmit().p50()).isCloseTo(30.0, within(0.1));
    assertThat(s.queued().p50()).isCloseTo(5.0, within(0.01));
    assertThat(s.search().p50()).isCloseTo(2.0, within(0.01));
    assertThat(s.captureToWorldModel().p99()).isCloseTo(23.0, within(0.1));
    assertThat(s.newGoalCaptureToEmit().count()).isEqualTo(1);
  }

  @Test
  void shouldLeaveOutOtherStreamsAndWarmUpFramesButFollowTheirGoals() {
    PlanStages.Tally t = new PlanStages.Tally(Set.of("a"), 10);
    t.add(plan("b", "g-1", 20, 1_000_000, 1_030_000));
    // a warm-up frame's plan is not counted, but it sets the stream's goal
    t.add(plan("a", "g-1", 5, 500_000, 530_000));
    t.add(plan("a", "g-1", 12, 1_200_000, 1_240_000));
    t.add(plan("a", "g-2", 13, 1_300_000, 1_420_000));

    StreamsReport.PlanStages s = t.result();

    assertThat(s.captureToEmit().count()).isEqualTo(2);
    assertThat(s.newGoalCaptureToEmit().count()).isEqualTo(1);
    assertThat(s.newGoalCaptureToEmit().p50()).isCloseTo(120.0, within(0.2));
  }

  @Test
  void shouldReportNoFiguresWithoutPlans() {
    StreamsReport.PlanStages s = new PlanStages.Tally(Set.of("a"), 0).result();
    assertThat(s.captureToEmit().count()).isZero();
    assertThat(s.captureToEmit().p50()).isNull();
  }
}
