package io.foresight.encoders.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.encoders.EncoderOptions;
import io.foresight.encoders.Fixtures;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.ModelVariants;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder operator with the control input: load, refuse, switch at a barrier, restore. */
class FrameEncoderDeploymentTest {
  @TempDir Path dir;

  private TwoInputStreamOperatorTestHarness<EncodeRequest, Deployment, EncodedFrame> harness;

  private static final String SHA_A =
      ModelCard.sha256(ModelCard.load(Fixtures.testModelDir()).file("encoder"));

  private TwoInputStreamOperatorTestHarness<EncodeRequest, Deployment, EncodedFrame> open(
      OperatorSubtaskState restore) throws Exception {
    EncoderOptions options = FrameEncoderOperatorTest.options(1, 0, 0, 1);
    var h = new TwoInputStreamOperatorTestHarness<>(new FrameEncoderOperator(options));
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static Deployment deployment(Path model, String sha) {
    return new Deployment("d-1", model.toString(), "test", "2", sha, null, 0, 0, 7);
  }

  private Path modelB() {
    return ModelVariants.redocumented(Fixtures.testModelDir(), dir.resolve("b"), "2", "model b");
  }

  private String encode(long seq) throws Exception {
    int before = harness.extractOutputValues().size();
    harness.processElement1(new StreamRecord<>(FrameEncoderOperatorTest.request("s", seq), seq));
    List<EncodedFrame> out = harness.extractOutputValues();
    assertThat(out).hasSize(before + 1);
    return out.get(before).modelSha256();
  }

  private List<RefusedDeployment> refused() {
    var q = harness.getSideOutput(FrameEncoderOperator.REFUSED_DEPLOYMENTS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldSwitchAtTheNextBarrierAndNotBefore() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    assertThat(encode(0)).isEqualTo(SHA_A);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    assertThat(encode(1)).as("loaded, not switched before the barrier").isEqualTo(SHA_A);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(2)).isEqualTo(shaB);
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldRestoreTheModelItSwitchedToFromTheCheckpoint() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = open(snapshot);
    assertThat(encode(3)).isEqualTo(shaB);
  }

  @Test
  void shouldKeepTheConfiguredModelAfterARestoreFromBeforeTheSwitch() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = open(snapshot);
    assertThat(encode(3)).isEqualTo(SHA_A);
  }

  @Test
  void shouldRefuseADirectoryThatIsNotThereAndKeepItsModel() throws Exception {
    harness = open(null);
    harness.processElement2(new StreamRecord<>(deployment(dir.resolve("absent"), SHA_A + "0")));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).contains("does not exist").contains("absent");
              assertThat(r.stage()).isEqualTo("encoder subtask 0");
            });
  }

  @Test
  void shouldRefuseAFileWhoseHashIsNotTheCards() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    Files.write(b.resolve("encoder.onnx"), new byte[] {1}, StandardOpenOption.APPEND);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("sha256"));
  }

  @Test
  void shouldRefuseADirectoryThatHoldsAnotherModelThanAnnounced() throws Exception {
    harness = open(null);
    harness.processElement2(new StreamRecord<>(deployment(modelB(), "ab".repeat(32))));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> assertThat(r.reason()).contains("announced encoder sha256 " + "ab".repeat(32)));
  }

  @Test
  void shouldRefuseAModelWithAMissingFile() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    Files.delete(b.resolve("encoder.onnx"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("encoder.onnx").contains("missing"));
  }

  @Test
  void shouldRefuseAModelWhoseCardDisagreesWithItsEncoder() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    Path card = b.resolve(ModelCard.FILE_NAME);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.readTree(card.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("latent"))
        .putArray("shape")
        .add(65);
    json.writeValue(card.toFile(), root);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("[N, 65]").contains("latent.shape"));
  }

  @Test
  void shouldRollBackByADeployOfTheOlderModel() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(shaB);
    harness.processElement2(new StreamRecord<>(deployment(Fixtures.testModelDir(), SHA_A)));
    assertThat(encode(1)).isEqualTo(shaB);
    harness.prepareSnapshotPreBarrier(2);
    assertThat(encode(2)).isEqualTo(SHA_A);
    OperatorSubtaskState snapshot = harness.snapshot(2, 2);
    harness.close();
    harness = open(snapshot);
    assertThat(encode(3)).as("the rollback is what a restore runs").isEqualTo(SHA_A);
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldIgnoreADeploymentOfTheModelItRuns() throws Exception {
    harness = open(null);
    harness.processElement2(new StreamRecord<>(deployment(Fixtures.testModelDir(), SHA_A)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused()).isEmpty();
  }

  private void abort(long checkpointId) throws Exception {
    harness.getOperator().notifyCheckpointAborted(checkpointId);
  }

  @Test
  void shouldRefuseADeploymentAfterAnAbortedCheckpointAndKeepItsModel() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.prepareSnapshotPreBarrier(11);
    harness.notifyOfCompletedCheckpoint(11);
    harness.prepareSnapshotPreBarrier(12);
    abort(12);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(13);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.stage()).isEqualTo("encoder subtask 0");
              assertThat(r.reason())
                  .startsWith("checkpoint 12 was aborted and none has completed since")
                  .contains("encoder subtask 0 keeps its model")
                  .contains("fix checkpointing")
                  .endsWith("then deploy again");
            });
    OperatorSubtaskState snapshot = harness.snapshot(13, 13);
    harness.close();
    harness = open(snapshot);
    assertThat(encode(1)).as("nothing was recorded for a restore").isEqualTo(SHA_A);
  }

  @Test
  void shouldAcceptADeploymentOnceALaterCheckpointCompleted() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.prepareSnapshotPreBarrier(12);
    abort(12);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(13);
    harness.notifyOfCompletedCheckpoint(13);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(14);
    assertThat(encode(0)).isEqualTo(shaB);
    assertThat(refused()).hasSize(1);
  }

  @Test
  void shouldRefuseADeploymentWhenNoCheckpointCompletedForThreeIntervals() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.setProcessingTime(0);
    harness.prepareSnapshotPreBarrier(1);
    harness.notifyOfCompletedCheckpoint(1);
    harness.setProcessingTime(5_000);
    harness.prepareSnapshotPreBarrier(2);
    harness.setProcessingTime(60_000);
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(3);
    assertThat(encode(0)).isEqualTo(SHA_A);
    assertThat(refused())
        .singleElement()
        .satisfies(
            r -> assertThat(r.reason()).startsWith("no checkpoint has completed for 60.0 s"));
  }

  @Test
  void shouldKeepASwitchMadeAtABarrierWhoseCheckpointAbortsAndRecordItInTheNext() throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    harness.prepareSnapshotPreBarrier(1);
    harness.snapshot(1, 1);
    abort(1);
    assertThat(encode(0)).as("the abort does not take the switch back").isEqualTo(shaB);
    harness.prepareSnapshotPreBarrier(2);
    OperatorSubtaskState snapshot = harness.snapshot(2, 2);
    harness.notifyOfCompletedCheckpoint(2);
    harness.close();
    harness = open(snapshot);
    assertThat(encode(1)).as("checkpoint 2 records the switch").isEqualTo(shaB);
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldSwitchAtTheNextBarrierWhenTheAbortCameBeforeThePendingSwitchsBarrier()
      throws Exception {
    harness = open(null);
    Path b = modelB();
    String shaB = ModelCard.sha256(ModelCard.load(b).file("encoder"));
    harness.processElement2(new StreamRecord<>(deployment(b, shaB)));
    abort(1); // Flink skips checkpoint 1's barrier in this subtask
    assertThat(encode(0)).as("still waiting for a barrier").isEqualTo(SHA_A);
    harness.prepareSnapshotPreBarrier(2);
    assertThat(encode(1)).isEqualTo(shaB);
    assertThat(refused()).isEmpty();
  }
}
