package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Plan;
import io.foresight.schemas.avro.Prediction;
import io.foresight.schemas.avro.SurpriseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldModelFunctionTest {
  private static final long IDLE_MS = 1_000;

  private KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> harness;
  private WorldModel reference;
  private ModelRef model;

  @BeforeEach
  void open() throws Exception {
    PlannerOptions options =
        PlannerOptions.builder()
            .set(PlannerOptions.MODEL_DIR, ToyModel.dir().toString())
            .set(PlannerOptions.PREDICT_HORIZON, "3")
            .set(PlannerOptions.HORIZON, "4")
            .set(PlannerOptions.COST_AGGREGATION, "TERMINAL")
            .set(PlannerOptions.SAMPLES, "32")
            .set(PlannerOptions.BUDGET_MS, "10000")
            .set(PlannerOptions.SURPRISE_WARMUP, "5")
            .set(PlannerOptions.THREADS, "1")
            .set(PlannerOptions.IDLE_TIMEOUT_MS, Long.toString(IDLE_MS))
            .build();
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new WorldModelFunction(options), in -> in.streamId, Types.STRING);
    reference = WorldModel.builder(ModelCard.load(ToyModel.dir())).maxBatch(4).build();
    model = reference.card().modelRef();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
    reference.close();
  }

  private WorldModelInput latent(String stream, long seq, float[] z) {
    return WorldModelInput.latent(stream, seq, seq * 100_000L, z, model);
  }

  private static float[] randomLatent(Random rnd) {
    float[] z = new float[8];
    for (int i = 0; i < 8; i++) {
      z[i] = (float) rnd.nextGaussian();
    }
    return z;
  }

  private List<Plan> plans() {
    return harness.getSideOutput(WorldModelFunction.PLANS) == null
        ? List.of()
        : harness.getSideOutput(WorldModelFunction.PLANS).stream()
            .map(StreamRecord::getValue)
            .collect(Collectors.toList());
  }

  private List<SurpriseEvent> surprises() {
    return harness.getSideOutput(WorldModelFunction.SURPRISE) == null
        ? List.of()
        : harness.getSideOutput(WorldModelFunction.SURPRISE).stream()
            .map(StreamRecord::getValue)
            .collect(Collectors.toList());
  }

  @Test
  void shouldEmitOnePredictionPerLatentWithEveryHorizon() throws Exception {
    Random rnd = new Random(1);
    for (long s = 0; s < 3; s++) {
      harness.processElement(latent("cam-1", s, randomLatent(rnd)), s);
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
    float[] z0 = randomLatent(new Random(2));
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
    float[] z0 = randomLatent(new Random(3));

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
    float[] z0 = randomLatent(rnd);
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

    harness.processElement(latent("robot-1", 11, randomLatent(rnd)), 2);
    assertThat(plans()).hasSize(2);
    assertThat(plans().get(1).getBasedOnSequence()).isEqualTo(11L);

    harness.processElement(WorldModelInput.cancelGoal("robot-1", "g-1", 3), 3);
    harness.processElement(latent("robot-1", 12, randomLatent(rnd)), 4);
    assertThat(plans()).hasSize(2);
  }

  @Test
  void shouldPredictUnderThePlanWhileAGoalIsSet() throws Exception {
    float[] z0 = randomLatent(new Random(5));
    float[] goal = reference.predict(z0, new float[][] {{1, -1}, {1, -1}, {1, -1}, {1, -1}})[3];
    harness.processElement(WorldModelInput.goal("robot-1", "g-1", 0, goal, 0.1f, model), 0);

    harness.processElement(latent("robot-1", 0, z0), 1);

    Plan plan = plans().get(0);
    float[][] planned = new float[3][2];
    for (int t = 0; t < 3; t++) {
      planned[t][0] = plan.getActions().get(t).get(0);
      planned[t][1] = plan.getActions().get(t).get(1);
    }
    float[][] expected = reference.predict(z0, planned);
    float[] got = Tensors.values(harness.extractOutputValues().get(0).getPredicted());
    assertThat(got[2 * 8 + 5]).isCloseTo(expected[2][5], within(1e-5f));
  }

  @Test
  void shouldEmitASurpriseEventWhenTheWorldJumps() throws Exception {
    Random rnd = new Random(6);
    float[] z = randomLatent(rnd);
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
    harness.processElement(latent("a", 0, randomLatent(rnd)), 0);
    harness.processElement(latent("b", 5, randomLatent(rnd)), 0);
    harness.processElement(latent("a", 1, randomLatent(rnd)), 0);

    List<Prediction> out = harness.extractOutputValues();
    assertThat(out.get(1).getSurprise()).isNull();
    assertThat(out.get(2).getSurprise()).isNotNull();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
  }

  @Test
  void shouldClearStateAndTimerOfAStreamIdlePastTheTimeout() throws Exception {
    Random rnd = new Random(8);
    harness.setProcessingTime(0);
    harness.processElement(latent("robot-1", 0, randomLatent(rnd)), 0);
    harness.processElement(WorldModelInput.action("robot-1", 0, 1, new float[] {0.1f, 0f}), 1);
    harness.processElement(
        WorldModelInput.goal("robot-1", "g", 2, randomLatent(rnd), 0.1f, model), 2);
    harness.setProcessingTime(500);
    harness.processElement(latent("robot-1", 1, randomLatent(rnd)), 3);
    assertThat(harness.numKeyedStateEntries()).isGreaterThanOrEqualTo(7);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

    harness.setProcessingTime(500 + IDLE_MS - 1);
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

    harness.setProcessingTime(500 + IDLE_MS);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // A stream that comes back starts from scratch: no surprise against the forgotten prediction.
    harness.processElement(latent("robot-1", 2, randomLatent(rnd)), 4);
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
      b.addEpisode(reference.predict(randomLatent(rnd), actions));
    }
    Path file = tmp.resolve("landmarks.bin");
    b.build().save(file);
    KeyedOneInputStreamOperatorTestHarness<String, WorldModelInput, Prediction> h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new WorldModelFunction(
                PlannerOptions.builder()
                    .set(PlannerOptions.MODEL_DIR, ToyModel.dir().toString())
                    .set(PlannerOptions.SUBGOALS_GRAPH, file.toString())
                    .set(PlannerOptions.SAMPLES, "16")
                    .build()),
            in -> in.streamId,
            Types.STRING);
    try {
      h.processElement(latent("robot-1", 0, randomLatent(rnd)), 0);
      h.processElement(WorldModelInput.goal("robot-1", "g", 1, randomLatent(rnd), 0.1f, model), 1);

      Plan p = h.getSideOutput(WorldModelFunction.PLANS).peek().getValue();
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
    WorldModelFunction f =
        new WorldModelFunction(
            PlannerOptions.builder()
                .set(PlannerOptions.MODEL_DIR, ToyModel.dir().toString())
                .set(PlannerOptions.SUBGOALS_GRAPH, file.toString())
                .build());

    assertThatThrownBy(
            () ->
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                    f, in -> in.streamId, Types.STRING))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("was built in latent space 0123")
        .hasMessageContaining("foresight planner graph");
  }

  @Test
  void shouldRejectALatentOfAnotherSize() throws Exception {
    harness.processElement(latent("cam-1", 0, new float[5]), 0);

    assertThat(harness.extractOutputValues()).isEmpty();
    List<RejectedInput> rejected =
        harness.getSideOutput(WorldModelFunction.REJECTED).stream()
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

    RejectedInput r = harness.getSideOutput(WorldModelFunction.REJECTED).peek().getValue();
    assertThat(r.reason).contains("comes from encoder abc but the world model belongs to encoder");
  }
}
