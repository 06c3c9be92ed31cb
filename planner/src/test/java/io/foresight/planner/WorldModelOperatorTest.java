package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foresight.runtime.ThreadPriority;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldModelOperatorTest {
  private static final long IDLE_MS = 1_000;

  private KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> harness;
  private WorldModelOperator operator;
  private WorldModel reference;
  private ModelRef model;

  @BeforeEach
  void open() throws Exception {
    PlannerOptions options =
        PlannerOptions.builder()
            .set(PlannerOptions.MODEL_DIR, Optional.of(ToyModel.dir()))
            .set(PlannerOptions.PREDICT_HORIZON, 3)
            // Each latent's prediction at once (the default, set here because the tests read a
            // prediction right after its latent); WorldModelPredictionBatchTest covers a linger.
            .set(PlannerOptions.PREDICT_LINGER, Duration.ZERO)
            .set(PlannerOptions.HORIZON, 4)
            .set(PlannerOptions.COST_AGGREGATION, Cost.Aggregation.TERMINAL)
            .set(PlannerOptions.SAMPLES, 32)
            .set(PlannerOptions.BUDGET, Duration.ofSeconds(10))
            .set(PlannerOptions.SURPRISE_WARMUP, 5L)
            .set(PlannerOptions.THREADS, 1)
            .set(PlannerOptions.IDLE_TIMEOUT, Duration.ofMillis(IDLE_MS))
            .set(PlannerOptions.PLAN_THREADS, 2)
            .build();
    operator = new WorldModelOperator(options);
    harness = open(operator);
    reference = WorldModel.builder(ModelCard.load(ToyModel.dir())).maxBatch(4).build();
    model = reference.card().modelRef();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
    reference.close();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> open(
      WorldModelOperator op) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h =
        new KeyedOneInputStreamOperatorTestHarness<>(op, in -> in.streamId, Types.STRING);
    h.open();
    return h;
  }

  /**
   * Lets the plans waiting or running finish on the planner threads and runs the mails that emit
   * them, as the task's mailbox loop does.
   */
  private static void settle(
      KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h,
      WorldModelOperator op)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    TaskMailbox mailbox = h.getTaskMailbox();
    while (true) {
      Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
      } else if (op.planning()) {
        assertThat(System.nanoTime()).as("plans still running after 30 s").isLessThan(deadline);
        Thread.sleep(1);
      } else {
        return;
      }
    }
  }

  private void settle() throws Exception {
    settle(harness, operator);
  }

  private WorldModelInput latent(String stream, long seq, float[] z) {
    return WorldModelInput.latent(stream, seq, seq * 100_000L, z, model);
  }

  private List<Plan> plans() throws Exception {
    settle();
    return harness.getSideOutput(WorldModelOperator.PLANS) == null
        ? List.of()
        : harness.getSideOutput(WorldModelOperator.PLANS).stream()
            .map(StreamRecord::getValue)
            .collect(Collectors.toList());
  }

  private List<SurpriseEvent> surprises() {
    return harness.getSideOutput(WorldModelOperator.SURPRISE) == null
        ? List.of()
        : harness.getSideOutput(WorldModelOperator.SURPRISE).stream()
            .map(StreamRecord::getValue)
            .collect(Collectors.toList());
  }

  @Test
  void shouldEmitOnePredictionPerLatentWithEveryHorizon() throws Exception {
    Random rnd = new Random(1);
    for (long s = 0; s < 3; s++) {
      harness.processElement(latent("cam-1", s, ToyModel.randomLatent(rnd)), s);
    }

    List<Prediction> out = harness.extractOutputValues();
    assertThat(out).hasSize(3);
    assertThat(out.get(0).getHorizons()).containsExactly(1, 2, 3);
    assertThat(Tensors.shape(out.get(0).getPredicted())).containsExactly(3, 8);
    assertThat(out.get(0).getSurprise()).isNull();
    assertThat(out.get(1).getSurprise()).isNotNull();
    assertThat(out.get(2).getSequence()).isEqualTo(2L);
    assertThat(out.get(2).getModel()).isEqualTo(model);
  }

  @Test
  void shouldPredictWithTheExecutedActionAndScoreTheNextFrameAgainstIt() throws Exception {
    float[] z0 = ToyModel.randomLatent(new Random(2));
    float[] a = {0.7f, -0.4f};
    float[] z1 = new float[8];
    reference.step(z0, a, 1, z1);

    harness.processElement(latent("cam-1", 0, z0), 0);
    harness.processElement(WorldModelInput.action("cam-1", 0, 1, a), 1);
    harness.processElement(latent("cam-1", 1, z1), 2);

    Prediction second = harness.extractOutputValues().get(1);
    assertThat(second.getSurprise()).isCloseTo(0.0, within(1e-4));
  }

  @Test
  void shouldPredictTheFutureTheModelPredicts() throws Exception {
    float[] z0 = ToyModel.randomLatent(new Random(3));

    harness.processElement(latent("cam-1", 0, z0), 0);

    float[][] expected = reference.predict(z0, new float[3][2]);
    float[] got = Tensors.values(harness.extractOutputValues().get(0).getPredicted());
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < 8; i++) {
        assertThat(got[t * 8 + i]).isCloseTo(expected[t][i], within(1e-5f));
      }
    }
  }

  @Test
  void shouldEmitAPlanWhenAGoalIsSetAndForEveryLatentUntilCancelled() throws Exception {
    Random rnd = new Random(4);
    float[] z0 = ToyModel.randomLatent(rnd);
    float[] goal = reference.predict(z0, new float[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}})[3];

    harness.processElement(latent("robot-1", 10, z0), 0);
    assertThat(plans()).isEmpty();
    harness.processElement(WorldModelInput.goal("robot-1", "g-1", 5, goal, 0.1f, model), 1);

    assertThat(plans()).hasSize(1);
    Plan p = plans().get(0);
    assertThat(p.getGoalId()).isEqualTo("g-1");
    assertThat(p.getBasedOnSequence()).isEqualTo(10L);
    assertThat(p.getActions()).hasSize(4);
    assertThat(p.getStats().getPlanner()).isEqualTo("cem");
    assertThat(p.getExpectedCost()).isLessThan(Cost.L2_TERMINAL.distance(z0, goal));

    harness.processElement(latent("robot-1", 11, ToyModel.randomLatent(rnd)), 2);
    assertThat(plans()).hasSize(2);
    assertThat(plans().get(1).getBasedOnSequence()).isEqualTo(11L);

    harness.processElement(WorldModelInput.cancelGoal("robot-1", "g-1", 3), 3);
    harness.processElement(latent("robot-1", 12, ToyModel.randomLatent(rnd)), 4);
    assertThat(plans()).hasSize(2);
  }

  @Test
  void shouldPredictUnderTheNewestPlanShiftedToTheFrameWhileAGoalIsSet() throws Exception {
    Random rnd = new Random(5);
    float[] z0 = ToyModel.randomLatent(rnd);
    float[] goal = reference.predict(z0, new float[][] {{1, -1}, {1, -1}, {1, -1}, {1, -1}})[3];
    harness.processElement(WorldModelInput.goal("robot-1", "g-1", 0, goal, 0.1f, model), 0);
    harness.processElement(latent("robot-1", 0, z0), 1);
    Plan plan = plans().get(0);
    assertThat(plan.getBasedOnSequence()).isZero();

    float[] z1 = ToyModel.randomLatent(rnd);
    harness.processElement(latent("robot-1", 1, z1), 2);

    // The plan made at frame 0 runs row 1 after frame 1, row 2 after frame 2, ...
    float[][] planned = new float[3][2];
    for (int t = 0; t < 3; t++) {
      planned[t][0] = plan.getActions().get(t + 1).get(0);
      planned[t][1] = plan.getActions().get(t + 1).get(1);
    }
    float[][] expected = reference.predict(z1, planned);
    float[] got = Tensors.values(harness.extractOutputValues().get(1).getPredicted());
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < 8; i++) {
        assertThat(got[t * 8 + i]).isCloseTo(expected[t][i], within(1e-5f));
      }
    }
  }

  @Test
  void shouldPlanOnlyForTheNewestLatentOfABurstAndCountTheOthersAsSkipped() throws Exception {
    Random rnd = new Random(11);
    float[] goal = ToyModel.randomLatent(rnd);
    harness.processElement(WorldModelInput.goal("a", "g-a", 0, goal, 0.1f, model), 0);
    harness.processElement(WorldModelInput.goal("b", "g-b", 0, goal, 0.1f, model), 0);
    operator.holdPlanning(true);
    harness.processElement(latent("b", 0, ToyModel.randomLatent(rnd)), 1);
    for (long s = 0; s < 10; s++) {
      harness.processElement(latent("a", s, ToyModel.randomLatent(rnd)), 2 + s);
    }
    assertThat(operator.waitingPlans()).isEqualTo(2);
    assertThat(harness.extractOutputValues()).hasSize(11);

    operator.holdPlanning(false);
    List<Plan> plans = plans();

    assertThat(plans).hasSize(2);
    Plan a = plans.stream().filter(p -> p.getStreamId().equals("a")).findFirst().orElseThrow();
    Plan b = plans.stream().filter(p -> p.getStreamId().equals("b")).findFirst().orElseThrow();
    assertThat(a.getBasedOnSequence()).isEqualTo(9L);
    assertThat(a.getBasedOnTimeUs()).isEqualTo(9 * 100_000L);
    assertThat(a.getStats().getSkipped()).isEqualTo(9L);
    assertThat(b.getBasedOnSequence()).isZero();
    assertThat(b.getStats().getSkipped()).isZero();
    assertThat(operator.waitingPlans()).isZero();
    // Completeness is untouched: every latent got its prediction, in order.
    assertThat(harness.extractOutputValues().stream().map(Prediction::getSequence))
        .containsExactly(0L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void shouldPlanABurstOfStreamsTogetherEachFromItsOwnNewestLatent() throws Exception {
    Random rnd = new Random(12);
    float[] goal = ToyModel.randomLatent(rnd);
    int streams = 6;
    for (int i = 0; i < streams; i++) {
      harness.processElement(WorldModelInput.goal("s" + i, "g" + i, 0, goal, 0.1f, model), 0);
    }
    operator.holdPlanning(true);
    for (int i = 0; i < streams; i++) {
      for (long seq = 0; seq <= i; seq++) {
        harness.processElement(latent("s" + i, seq, ToyModel.randomLatent(rnd)), 1 + seq);
      }
    }
    assertThat(operator.waitingPlans()).isEqualTo(streams);

    // Two planner threads take three requests each and search them together.
    operator.holdPlanning(false);
    List<Plan> plans = plans();

    assertThat(plans).hasSize(streams);
    for (int i = 0; i < streams; i++) {
      String stream = "s" + i;
      Plan p = plans.stream().filter(x -> x.getStreamId().equals(stream)).findFirst().orElseThrow();
      assertThat(p.getBasedOnSequence()).isEqualTo((long) i);
      assertThat(p.getStats().getSkipped()).isEqualTo((long) i);
      assertThat(p.getActions()).isNotEmpty();
    }
    assertThat(operator.waitingPlans()).isZero();
  }

  @Test
  void shouldDropAPlanWhoseGoalWasReplacedWhileItWaited() throws Exception {
    Random rnd = new Random(12);
    harness.processElement(latent("a", 0, ToyModel.randomLatent(rnd)), 0);
    operator.holdPlanning(true);
    harness.processElement(
        WorldModelInput.goal("a", "g-1", 1, ToyModel.randomLatent(rnd), 0.1f, model), 1);
    harness.processElement(WorldModelInput.cancelGoal("a", "g-1", 2), 2);
    harness.processElement(
        WorldModelInput.goal("a", "g-2", 3, ToyModel.randomLatent(rnd), 0.1f, model), 3);
    operator.holdPlanning(false);

    List<Plan> plans = plans();

    assertThat(plans).hasSize(1);
    assertThat(plans.get(0).getGoalId()).isEqualTo("g-2");
  }

  /** Frames 0 and 1 of stream a, 100 ms apart in capture and arrival time (1.0 s and 1.1 s). */
  private void framesOfStreamA(
      KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h, Random rnd)
      throws Exception {
    h.setProcessingTime(1_000);
    h.processElement(latent("a", 0, ToyModel.randomLatent(rnd)), 0);
    h.setProcessingTime(1_100);
    h.processElement(latent("a", 1, ToyModel.randomLatent(rnd)), 1);
  }

  @Test
  void shouldPlanANewGoalOnTheNextLatentWhenOneIsDue() throws Exception {
    Random rnd = new Random(21);
    framesOfStreamA(harness, rnd);
    // 10 ms after frame 1 arrived, frames 100 ms apart: frame 2 is due, so the goal waits for it
    harness.setProcessingTime(1_110);
    harness.processElement(
        WorldModelInput.goal("a", "g-1", 2, ToyModel.randomLatent(rnd), 0.1f, model), 2);
    assertThat(plans()).isEmpty();

    harness.setProcessingTime(1_200);
    harness.processElement(latent("a", 2, ToyModel.randomLatent(rnd)), 3);

    List<Plan> plans = plans();
    assertThat(plans).hasSize(1);
    assertThat(plans.get(0).getBasedOnSequence()).isEqualTo(2L);
    assertThat(plans.get(0).getGoalId()).isEqualTo("g-1");
    // the wait's timer finds nothing left to do
    harness.setProcessingTime(2_000);
    assertThat(plans()).hasSize(1);
  }

  @Test
  void shouldPlanANewGoalOnTheNewestLatentWhenTheNextDoesNotComeInTime() throws Exception {
    Random rnd = new Random(22);
    framesOfStreamA(harness, rnd);
    harness.setProcessingTime(1_110);
    harness.processElement(
        WorldModelInput.goal("a", "g-1", 2, ToyModel.randomLatent(rnd), 0.1f, model), 2);
    harness.setProcessingTime(1_249);
    assertThat(plans()).isEmpty();

    // 1.5 frame intervals after frame 1 arrived
    harness.setProcessingTime(1_250);

    List<Plan> plans = plans();
    assertThat(plans).hasSize(1);
    assertThat(plans.get(0).getBasedOnSequence()).isEqualTo(1L);
  }

  @Test
  void shouldPlanANewGoalAtOnceWhenTheStreamsNextLatentIsOverdue() throws Exception {
    Random rnd = new Random(23);
    framesOfStreamA(harness, rnd);
    harness.setProcessingTime(1_400);
    harness.processElement(
        WorldModelInput.goal("a", "g-1", 2, ToyModel.randomLatent(rnd), 0.1f, model), 2);

    List<Plan> plans = plans();
    assertThat(plans).hasSize(1);
    assertThat(plans.get(0).getBasedOnSequence()).isEqualTo(1L);
  }

  @Test
  void shouldPlanANewGoalAtOnceWhenWaitingIsOff() throws Exception {
    WorldModelOperator op =
        new WorldModelOperator(
            operator.options().toBuilder().set(PlannerOptions.GOAL_WAIT, Duration.ZERO).build());
    KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h = open(op);
    try {
      Random rnd = new Random(24);
      framesOfStreamA(h, rnd);
      h.setProcessingTime(1_110);
      h.processElement(
          WorldModelInput.goal("a", "g-1", 2, ToyModel.randomLatent(rnd), 0.1f, model), 2);
      settle(h, op);
      assertThat(h.getSideOutput(WorldModelOperator.PLANS)).hasSize(1);
    } finally {
      h.close();
    }
  }

  @Test
  void shouldShareTheCoresOutAmongTheSubtasks() {
    assertThat(WorldModelOperator.plannerThreads(3, 2, 1)).isEqualTo(3);
    assertThat(WorldModelOperator.plannerThreads(0, 2, 1)).isEqualTo(2);
    assertThat(WorldModelOperator.plannerThreads(0, 2, 2)).isEqualTo(1);
    assertThat(WorldModelOperator.plannerThreads(0, 8, 2)).isEqualTo(4);
    assertThat(WorldModelOperator.plannerThreads(0, 2, 4)).isEqualTo(1);
  }

  @Test
  void shouldEmitASurpriseEventWhenTheWorldJumps() throws Exception {
    Random rnd = new Random(6);
    float[] z = ToyModel.randomLatent(rnd);
    long seq = 0;
    harness.processElement(latent("cam-1", seq++, z), 0);
    for (int i = 0; i < 30; i++) {
      float[] next = new float[8];
      reference.step(z, new float[2], 1, next);
      for (int j = 0; j < 8; j++) {
        next[j] += 0.01f * (float) rnd.nextGaussian();
      }
      z = next;
      harness.processElement(latent("cam-1", seq++, z), seq);
    }
    assertThat(surprises()).isEmpty();

    float[] jump = z.clone();
    jump[0] += 5f;
    harness.processElement(latent("cam-1", seq, jump), seq + 1);

    assertThat(surprises()).hasSize(1);
    SurpriseEvent e = surprises().get(0);
    assertThat(e.getSequence()).isEqualTo(seq);
    assertThat(e.getNormalizedScore()).isGreaterThan(e.getThreshold());
    assertThat(e.getScore()).isGreaterThan(4.0);
  }

  @Test
  void shouldKeepStreamsApart() throws Exception {
    Random rnd = new Random(7);
    harness.processElement(latent("a", 0, ToyModel.randomLatent(rnd)), 0);
    harness.processElement(latent("b", 5, ToyModel.randomLatent(rnd)), 0);
    harness.processElement(latent("a", 1, ToyModel.randomLatent(rnd)), 0);

    List<Prediction> out = harness.extractOutputValues();
    assertThat(out.get(1).getSurprise()).isNull();
    assertThat(out.get(2).getSurprise()).isNotNull();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
  }

  @Test
  void shouldClearStateAndTimerOfAStreamIdlePastTheTimeout() throws Exception {
    Random rnd = new Random(8);
    harness.setProcessingTime(0);
    harness.processElement(latent("robot-1", 0, ToyModel.randomLatent(rnd)), 0);
    harness.processElement(WorldModelInput.action("robot-1", 0, 1, new float[] {0.1f, 0f}), 1);
    harness.processElement(
        WorldModelInput.goal("robot-1", "g", 2, ToyModel.randomLatent(rnd), 0.1f, model), 2);
    settle();
    harness.setProcessingTime(500);
    harness.processElement(latent("robot-1", 1, ToyModel.randomLatent(rnd)), 3);
    settle();
    assertThat(harness.numKeyedStateEntries()).isGreaterThanOrEqualTo(7);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

    harness.setProcessingTime(500 + IDLE_MS - 1);
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

    harness.setProcessingTime(500 + IDLE_MS);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // A stream that comes back starts from scratch: no surprise against the forgotten prediction.
    harness.processElement(latent("robot-1", 2, ToyModel.randomLatent(rnd)), 4);
    List<Prediction> out = harness.extractOutputValues();
    assertThat(out.get(out.size() - 1).getSurprise()).isNull();
    assertThat(plans()).hasSize(2);
  }

  @Test
  void shouldPlanThroughTheLandmarkGraphItIsGiven(@TempDir Path tmp) throws Exception {
    Random rnd = new Random(9);
    LandmarkGraph.Builder b =
        LandmarkGraph.builder(8).latentSpace(reference.card().modelRef().getSha256());
    for (int e = 0; e < 5; e++) {
      float[][] actions = new float[20][];
      for (int t = 0; t < 20; t++) {
        actions[t] = new float[] {rnd.nextFloat() * 2 - 1, rnd.nextFloat() * 2 - 1};
      }
      b.addEpisode(reference.predict(ToyModel.randomLatent(rnd), actions));
    }
    Path file = tmp.resolve("landmarks.bin");
    b.build().save(file);
    WorldModelOperator op =
        new WorldModelOperator(
            PlannerOptions.builder()
                .set(PlannerOptions.MODEL_DIR, Optional.of(ToyModel.dir()))
                .set(PlannerOptions.SUBGOALS_GRAPH, file.toString())
                .set(PlannerOptions.SAMPLES, 16)
                .build());
    KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h = open(op);
    try {
      h.processElement(latent("robot-1", 0, ToyModel.randomLatent(rnd)), 0);
      h.processElement(
          WorldModelInput.goal("robot-1", "g", 1, ToyModel.randomLatent(rnd), 0.1f, model), 1);
      settle(h, op);

      Plan p = h.getSideOutput(WorldModelOperator.PLANS).peek().getValue();
      assertThat(p.getStats().getPlanner()).isEqualTo("cem+subgoals");
    } finally {
      h.close();
    }
  }

  @Test
  void shouldRefuseAGraphOfAnotherLatentSpace(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("landmarks.bin");
    LandmarkGraph.builder(8)
        .latentSpace("0123")
        .addEpisode(new float[][] {new float[8], {1, 1, 1, 1, 1, 1, 1, 1}})
        .build()
        .save(file);
    WorldModelOperator op =
        new WorldModelOperator(
            PlannerOptions.builder()
                .set(PlannerOptions.MODEL_DIR, Optional.of(ToyModel.dir()))
                .set(PlannerOptions.SUBGOALS_GRAPH, file.toString())
                .build());

    assertThatThrownBy(() -> open(op))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("was built in latent space 0123")
        .hasMessageContaining("foresight planner graph");
  }

  @Test
  void shouldRejectALatentOfAnotherSize() throws Exception {
    harness.processElement(latent("cam-1", 0, new float[5]), 0);

    assertThat(harness.extractOutputValues()).isEmpty();
    List<RejectedInput> rejected =
        harness.getSideOutput(WorldModelOperator.REJECTED).stream()
            .map(StreamRecord::getValue)
            .collect(Collectors.toList());
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).reason)
        .isEqualTo("latent has 5 floats but the world model's latents have 8");
  }

  @Test
  void shouldRejectALatentOfAnotherLatentSpace() throws Exception {
    harness.processElement(
        WorldModelInput.latent("cam-1", 0, 0, new float[8], new ModelRef("m", "1", "abc")), 0);

    RejectedInput r = harness.getSideOutput(WorldModelOperator.REJECTED).peek().getValue();
    assertThat(r.reason).contains("comes from encoder abc but the world model belongs to encoder");
  }

  @Test
  void shouldRunThePlannerThreadsAtALowerCpuPriorityThanTheTaskThread() throws Exception {
    Path self = Path.of("/proc/self/task");
    assumeTrue(
        Files.isDirectory(self) && ThreadPriority.supported(),
        "no per-thread niceness or no renice here");
    int task = ThreadPriority.currentNiceness().getAsInt();
    int expected =
        Math.min(ThreadPriority.LOWEST, task + PlannerOptions.PLAN_NICENESS.defaultValue());

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Integer> planners;
    do {
      planners = plannerNiceness(self);
      if (planners.size() == 2 && planners.stream().allMatch(n -> n == expected)) {
        break;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);

    // The two planner threads of this operator (planner.plan.threads=2), at the default increment.
    assertThat(planners).containsExactly(expected, expected);
    assertThat(ThreadPriority.currentNiceness()).hasValue(task);
  }

  /** The niceness of every planner thread of this JVM (Linux truncates thread names to 15). */
  private static List<Integer> plannerNiceness(Path tasks) throws Exception {
    String prefix = WorldModelOperator.PLANNER_THREAD_PREFIX.substring(0, 15);
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path t : all.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
            String stat = Files.readString(t.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out.add(Integer.parseInt(after[16]));
          }
        } catch (NoSuchFileException gone) {
          // a thread that ended meanwhile
        }
      }
    }
    return out;
  }
}
