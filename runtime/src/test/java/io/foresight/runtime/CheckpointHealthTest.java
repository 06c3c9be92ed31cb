package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a subtask refuses a deployment because checkpoints fail. */
class CheckpointHealthTest {
  private static final Deployment D =
      new Deployment("d-3", "/models/b", "test", "2", "ab".repeat(32), null, 0, 0, 1);

  @Test
  void shouldAcceptBeforeAnyCheckpoint() {
    assertThat(new CheckpointHealth().refuse(D, "encoder subtask 0", 0)).isEmpty();
  }

  @Test
  void shouldRefuseAfterAnAbortedCheckpointWithTheReasonAndWhatToDo() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(11, 1_000);
    h.completed(11, 1_500);
    h.barrier(12, 2_000);
    h.aborted(12, 2_500);
    assertThat(h.refuse(D, "encoder subtask 0", 3_000))
        .hasValueSatisfying(
            r -> {
              assertThat(r.deployment()).isEqualTo(D);
              assertThat(r.stage()).isEqualTo("encoder subtask 0");
              assertThat(r.reason())
                  .startsWith("checkpoint 12 was aborted and none has completed since")
                  .contains("the newest completed is checkpoint 11, 1.5 s ago")
                  .contains("nothing was loaded or switched")
                  .contains("keeps its model")
                  .endsWith(
                      "fix checkpointing (the job manager's log says why checkpoints fail),"
                          + " then deploy again");
            });
  }

  @Test
  void shouldAcceptAgainOnceALaterCheckpointCompleted() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(12, 2_000);
    h.aborted(12, 2_500);
    h.barrier(13, 3_000);
    h.completed(13, 3_200);
    assertThat(h.problem(3_300)).isEmpty();
  }

  @Test
  void shouldIgnoreALateAbortOfACheckpointOlderThanTheNewestCompleted() {
    CheckpointHealth h = new CheckpointHealth();
    h.completed(13, 3_200);
    h.aborted(12, 3_300);
    assertThat(h.problem(3_400)).isEmpty();
  }

  @Test
  void shouldRefuseWhenNoneCompletedForThreeIntervalsAndTheFloor() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(1, 0);
    h.completed(1, 100);
    h.barrier(2, 5_000);
    h.completed(2, 5_100);
    h.barrier(3, 10_000); // pending from here on
    assertThat(h.problem(5_100 + 15_000)).as("exactly three intervals of 5 s").isEmpty();
    assertThat(h.problem(5_100 + 15_001))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("no checkpoint has completed for 15.0 s")
                    .contains("checkpoints start every 5.0 s")
                    .contains("the newest started is checkpoint 3")
                    .contains("the newest completed checkpoint 2"));
  }

  @Test
  void shouldNotCallAShortIntervalStaleBeforeTheFloor() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(1, 0);
    h.completed(1, 50);
    h.barrier(2, 100);
    assertThat(h.problem(50 + CheckpointHealth.MIN_STALE_MS)).isEmpty();
    assertThat(h.problem(51 + CheckpointHealth.MIN_STALE_MS)).isPresent();
  }

  @Test
  void shouldRefuseWhenNoneEverCompletedLongAfterTheFirstBarrier() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(1, 0);
    h.barrier(2, 1_000);
    assertThat(h.problem(20_000))
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("no checkpoint has completed since the first barrier"));
  }

  @Test
  void shouldNotJudgeOnTimeBeforeItMeasuredAnInterval() {
    CheckpointHealth h = new CheckpointHealth();
    h.barrier(1, 0);
    assertThat(h.problem(3_600_000)).isEmpty();
  }
}
