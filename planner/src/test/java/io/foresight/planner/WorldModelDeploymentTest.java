package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.runtime.Deployment;
import io.foresight.runtime.ModelVariants;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.ModelRef;
import io.foresight.schemas.avro.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The world model with the control input: predictors by tag, stream restarts, refusals. */
class WorldModelDeploymentTest {
  @TempDir Path dir;

  private KeyedTwoInputStreamOperatorTestHarness<String, WorldModelInput, Deployment, Prediction>
      harness;
  private ModelRef a;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
    harness.open();
    a = ModelCard.load(ToyModel.dir()).modelRef();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, WorldModelInput, Deployment, Prediction>
      harness(OperatorSubtaskState restore) throws Exception {
    PlannerOptions options =
        PlannerOptions.builder()
            .set(PlannerOptions.MODEL_DIR, Optional.of(ToyModel.dir()))
            .set(PlannerOptions.PREDICT_HORIZON, 2)
            // Each latent's prediction at once (the default, set here because the tests read a
            // prediction right after its latent); WorldModelPredictionBatchTest covers a linger.
            .set(PlannerOptions.PREDICT_LINGER, Duration.ZERO)
            .set(PlannerOptions.HORIZON, 3)
            .set(PlannerOptions.SAMPLES, 16)
            .set(PlannerOptions.SURPRISE_WARMUP, 2L)
            .set(PlannerOptions.THREADS, 1)
            .set(PlannerOptions.PLAN_THREADS, 1)
            .set(PlannerOptions.BUDGET, Duration.ofSeconds(10))
            .build();
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new WorldModelOperator(options), in -> in.streamId, null, Types.STRING);
    if (restore != null) {
      h.initializeState(restore);
    }
    return h;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static Deployment deployment(Path model) {
    ModelCard card = ModelCard.load(model);
    return new Deployment(
        "d-1",
        model.toString(),
        card.name(),
        card.version(),
        card.fileInfo("encoder").sha256(),
        card.files().containsKey("predictor") ? card.fileInfo("predictor").sha256() : null,
        0,
        0,
        1);
  }

  private void latent(String stream, long seq, ModelRef m) throws Exception {
    float[] z = new float[8];
    z[0] = seq;
    harness.processElement1(
        new StreamRecord<>(WorldModelInput.latent(stream, seq, seq * 1000, z, m), seq));
  }

  private List<Prediction> predictions() {
    return harness.extractOutputValues();
  }

  private List<RefusedDeployment> refused() {
    var q = harness.getSideOutput(WorldModelOperator.REFUSED_DEPLOYMENTS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldPredictEachLatentWithThePredictorOfItsTagAndRestartTheStreamOnAChange()
      throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    ModelRef refB = ModelCard.load(b).modelRef();
    for (long s = 0; s < 4; s++) {
      latent("s", s, a);
    }
    assertThat(predictions().get(3).getSurprise()).as("surprise once warm").isNotNull();
    harness.processElement2(new StreamRecord<>(deployment(b)));
    // a latent of A still in flight gets A's predictor; B's latents are known at once
    latent("s", 4, a);
    latent("s", 5, refB);
    latent("s", 6, refB);
    List<Prediction> p = predictions();
    assertThat(p).hasSize(7);
    assertThat(p.get(4).getModel().getSha256().toString()).isEqualTo(a.getSha256());
    assertThat(p.get(5).getModel().getSha256().toString()).isEqualTo(refB.getSha256());
    assertThat(p.get(5).getSurprise())
        .as("the first latent of the new model starts the stream's working memory again")
        .isNull();
    assertThat(p.get(6).getSurprise()).as("predicted from latent 5 with B's predictor").isNotNull();
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldPlanADeployedModelThroughTheGraphBesideIt() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    String spaceB = ModelCard.load(b).modelRef().getSha256().toString().toLowerCase(Locale.ROOT);
    float[][] episode = new float[12][8];
    for (int t = 0; t < episode.length; t++) {
      episode[t][0] = 0.1f * t;
    }
    LandmarkGraph.builder(8)
        .latentSpace(spaceB)
        .addEpisode(episode)
        .build()
        .save(b.resolve(PlannerOptions.GRAPH_FILE_NAME));

    harness.processElement2(new StreamRecord<>(deployment(b)));
    // the model that deployment loaded (load returns it again rather than opening another)
    WorldModelOperator.Loaded loaded =
        ((WorldModelOperator) harness.getOperator()).load(deployment(b));
    assertThat(loaded.space).isEqualTo(spaceB);
    assertThat(loaded.planners)
        .as("B's planners go through B's own landmarks.bin (planner.subgoals.graph=auto)")
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p).isInstanceOf(SubgoalPlanner.class));
    assertThat(refused()).isEmpty();

    Path c = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("c"), "3", "c");
    Files.copy(
        b.resolve(PlannerOptions.GRAPH_FILE_NAME), c.resolve(PlannerOptions.GRAPH_FILE_NAME));
    String spaceC = ModelCard.load(c).modelRef().getSha256().toString().toLowerCase(Locale.ROOT);
    PlannerOptions optionsC =
        PlannerOptions.builder().set(PlannerOptions.MODEL_DIR, Optional.of(c)).build();
    assertThat(WorldModelOperator.graph(optionsC, spaceC))
        .as("a graph of another latent space beside it: plan without subgoals (auto)")
        .isNull();
  }

  @Test
  void shouldRefuseADirectoryThatIsNotThereAndKeepItsModel() throws Exception {
    Deployment d =
        new Deployment(
            "d-2", dir.resolve("absent").toString(), "x", "1", "ab".repeat(32), null, 0, 0, 2);
    harness.processElement2(new StreamRecord<>(d));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).contains("does not exist");
              assertThat(r.stage()).isEqualTo("world model subtask 0");
            });
    latent("s", 0, a);
    assertThat(predictions()).hasSize(1);
  }

  @Test
  void shouldRefuseAModelWithoutAPredictor() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    Path card = b.resolve(ModelCard.FILE_NAME);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.readTree(card.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("files")).remove("predictor");
    json.writeValue(card.toFile(), root);
    Deployment d =
        new Deployment(
            "d-3",
            b.toString(),
            "x",
            "2",
            ModelCard.load(b).fileInfo("encoder").sha256(),
            null,
            0,
            0,
            3);
    harness.processElement2(new StreamRecord<>(d));
    assertThat(refused())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("has no predictor"));
  }

  @Test
  void shouldRefuseALatentOfAModelItNeverLoaded() throws Exception {
    latent("s", 0, new ModelRef("other", "1", "cd".repeat(32)));
    assertThat(predictions()).isEmpty();
    assertThat(harness.getSideOutput(WorldModelOperator.REJECTED))
        .singleElement()
        .satisfies(r -> assertThat(r.getValue().reason).contains("foresight models deploy"));
  }

  @Test
  void shouldRefuseAModelWhoseCardDisagreesWithItsPredictor() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    Path card = b.resolve(ModelCard.FILE_NAME);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.readTree(card.toFile());
    var action = (com.fasterxml.jackson.databind.node.ObjectNode) root.path("action");
    action.put("dim", 3);
    action.putArray("low").add(-1.0).add(-1.0).add(-1.0);
    action.putArray("high").add(1.0).add(1.0).add(1.0);
    json.writeValue(card.toFile(), root);
    harness.processElement2(new StreamRecord<>(deployment(b)));
    assertThat(refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("action"));
    latent("s", 0, a);
    assertThat(predictions()).hasSize(1);
  }

  @Test
  void shouldPredictWithTheOldModelAgainAfterARollback() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    ModelRef refB = ModelCard.load(b).modelRef();
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(1);
    latent("s", 0, refB);
    latent("s", 1, refB);
    harness.processElement2(new StreamRecord<>(deployment(ToyModel.dir())));
    harness.prepareSnapshotPreBarrier(2);
    latent("s", 2, a);
    latent("s", 3, a);
    List<Prediction> p = predictions();
    assertThat(p)
        .extracting(x -> x.getModel().getSha256().toString())
        .containsExactly(refB.getSha256(), refB.getSha256(), a.getSha256(), a.getSha256());
    assertThat(p.get(2).getSurprise()).as("a restart at the switch back").isNull();
    assertThat(p.get(3).getSurprise()).isNotNull();
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldRefuseADeploymentAfterAnAbortedCheckpointAndLoadNothing() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    harness.prepareSnapshotPreBarrier(11);
    harness.notifyOfCompletedCheckpoint(11);
    harness.prepareSnapshotPreBarrier(12);
    harness.getOperator().notifyCheckpointAborted(12);
    harness.processElement2(new StreamRecord<>(deployment(b)));
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.stage()).isEqualTo("world model subtask 0");
              assertThat(r.reason())
                  .startsWith("checkpoint 12 was aborted and none has completed since")
                  .contains("the newest completed is checkpoint 11")
                  .contains("world model subtask 0 keeps its model")
                  .endsWith("then deploy again");
            });
    latent("s", 0, ModelCard.load(b).modelRef());
    assertThat(harness.getSideOutput(WorldModelOperator.REJECTED))
        .as("B was not loaded")
        .hasSize(1);
    latent("s", 1, a);
    assertThat(predictions()).hasSize(1);
  }

  @Test
  void shouldAcceptADeploymentOnceALaterCheckpointCompleted() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    harness.prepareSnapshotPreBarrier(12);
    harness.getOperator().notifyCheckpointAborted(12);
    harness.prepareSnapshotPreBarrier(13);
    harness.notifyOfCompletedCheckpoint(13);
    harness.processElement2(new StreamRecord<>(deployment(b)));
    latent("s", 0, ModelCard.load(b).modelRef());
    assertThat(predictions()).hasSize(1);
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldRecordAnActiveSwitchWhoseCheckpointAbortedInTheNextCheckpoint() throws Exception {
    Path b = ModelVariants.redocumented(ToyModel.dir(), dir.resolve("b"), "2", "b");
    ModelRef refB = ModelCard.load(b).modelRef();
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(1);
    harness.snapshot(1, 1);
    harness.getOperator().notifyCheckpointAborted(1);
    harness.prepareSnapshotPreBarrier(2);
    OperatorSubtaskState snapshot = harness.snapshot(2, 2);
    harness.notifyOfCompletedCheckpoint(2);
    harness.close();
    harness = harness(snapshot);
    harness.open();
    latent("s", 0, refB);
    assertThat(predictions())
        .as("a restore from checkpoint 2 reloads B")
        .singleElement()
        .satisfies(
            p -> assertThat(p.getModel().getSha256().toString()).isEqualTo(refB.getSha256()));
    assertThat(refused()).isEmpty();
  }
}
