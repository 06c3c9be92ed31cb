package io.foresight.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.foresight.encoders.EncoderOptions;
import io.foresight.pipeline.RawRecord;
import io.foresight.planner.WorldModelInput;
import io.foresight.runtime.Deployment;
import io.foresight.runtime.ModelVariants;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.schemas.AvroCodec;
import io.foresight.schemas.Examples;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Topics;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.Goal;
import io.foresight.schemas.avro.GoalImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal stage at a deployment: kept goal images re-encoded at the switch, refusals. */
class GoalEncodeOperatorTest {
  @TempDir Path dir;

  private KeyedTwoInputStreamOperatorTestHarness<String, RawRecord, Deployment, WorldModelInput>
      harness;
  private String shaA;
  private long offset;

  @BeforeEach
  void open() throws Exception {
    EncoderOptions options =
        EncoderOptions.builder()
            .set(EncoderOptions.MODEL_DIR, Optional.of(ModelCard.shippedDir()))
            .set(EncoderOptions.DEVICE, "cpu")
            .set(EncoderOptions.WARMUP_RUNS, 0)
            .build();
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new GoalEncodeOperator(options), RawRecord::keyString, null, Types.STRING);
    harness.open();
    shaA = ModelCard.load(ModelCard.shippedDir()).fileInfo("encoder").sha256();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private RawRecord goal(String stream, String id, boolean active, int shade) {
    byte[] px = new byte[64 * 64 * 3];
    java.util.Arrays.fill(px, (byte) shade);
    Goal g =
        Goal.newBuilder(Examples.goal())
            .setStreamId(stream)
            .setGoalId(id)
            .setActive(active)
            .setTarget(new GoalImage(FrameEncoding.RGB8, 64, 64, ByteBuffer.wrap(px)))
            .build();
    return new RawRecord(
        Topics.GOALS,
        0,
        offset++,
        0,
        stream.getBytes(StandardCharsets.UTF_8),
        AvroCodec.of(Goal.class).encode(g));
  }

  private static Deployment deployment(Path model) {
    ModelCard card = ModelCard.load(model);
    return new Deployment(
        "d-1",
        model.toString(),
        card.name(),
        card.version(),
        card.fileInfo("encoder").sha256(),
        null,
        0,
        0,
        1);
  }

  private List<WorldModelInput> out() {
    return harness.extractOutputValues();
  }

  @Test
  void shouldReencodeEveryKeptGoalImageWithTheNewEncoderAtTheSwitch() throws Exception {
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    harness.processElement1(new StreamRecord<>(goal("b", "g2", true, 200), 2));
    assertThat(out()).hasSize(2).allMatch(in -> in.modelSha256.equals(shaA));
    Path b = ModelVariants.redocumented(ModelCard.shippedDir(), dir.resolve("b"), "9", "b");
    harness.processElement2(new StreamRecord<>(deployment(b)));
    assertThat(out()).as("nothing before the barrier").hasSize(2);
    harness.prepareSnapshotPreBarrier(1);
    List<WorldModelInput> all = out();
    assertThat(all).hasSize(4);
    String shaB = ModelCard.load(b).fileInfo("encoder").sha256();
    for (WorldModelInput re : all.subList(2, 4)) {
      assertThat(re.modelSha256).isEqualTo(shaB);
      WorldModelInput before = all.get(re.goalId.equals("g1") ? 0 : 1);
      assertThat(re.streamId).isEqualTo(before.streamId);
      // B is A's network re-exported: the same image gives the same latent
      assertThat(re.values).containsExactly(before.values);
    }
    assertThat(all.subList(2, 4)).extracting(in -> in.goalId).containsExactlyInAnyOrder("g1", "g2");
    harness.processElement1(new StreamRecord<>(goal("c", "g3", true, 90), 3));
    assertThat(out().get(4).modelSha256).as("new goals with the new encoder").isEqualTo(shaB);
  }

  @Test
  void shouldNotReencodeACancelledGoal() throws Exception {
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    harness.processElement1(new StreamRecord<>(goal("a", "g1", false, 10), 2));
    Path b = ModelVariants.redocumented(ModelCard.shippedDir(), dir.resolve("b"), "9", "b");
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(out()).hasSize(2);
  }

  @Test
  void shouldRefuseADirectoryThatIsNotThereAndKeepItsEncoder() throws Exception {
    harness.processElement2(
        new StreamRecord<>(
            new Deployment(
                "d-2", dir.resolve("none").toString(), "x", "1", "ab".repeat(32), null, 0, 0, 2)));
    harness.prepareSnapshotPreBarrier(1);
    var refused = harness.getSideOutput(GoalEncodeOperator.REFUSED_DEPLOYMENTS);
    assertThat(refused)
        .singleElement()
        .satisfies(
            r -> {
              RefusedDeployment d = r.getValue();
              assertThat(d.reason()).contains("does not exist");
              assertThat(d.stage()).isEqualTo("goal encoder subtask 0");
            });
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    assertThat(out()).singleElement().satisfies(in -> assertThat(in.modelSha256).isEqualTo(shaA));
  }

  @Test
  void shouldRefuseADeploymentAfterAnAbortedCheckpointAndKeepItsEncoder() throws Exception {
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    harness.prepareSnapshotPreBarrier(12);
    harness.getOperator().notifyCheckpointAborted(12);
    Path b = ModelVariants.redocumented(ModelCard.shippedDir(), dir.resolve("b"), "9", "b");
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(13);
    assertThat(out()).as("no goal re-encoded: nothing switched").hasSize(1);
    assertThat(harness.getSideOutput(GoalEncodeOperator.REFUSED_DEPLOYMENTS))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getValue().reason())
                    .startsWith("checkpoint 12 was aborted and none has completed since")
                    .contains("goal encoder subtask 0 keeps its model")
                    .endsWith("then deploy again"));
    harness.processElement1(new StreamRecord<>(goal("a", "g2", true, 10), 2));
    assertThat(out().get(1).modelSha256).isEqualTo(shaA);
  }

  @Test
  void shouldAcceptADeploymentOnceALaterCheckpointCompleted() throws Exception {
    harness.prepareSnapshotPreBarrier(12);
    harness.getOperator().notifyCheckpointAborted(12);
    harness.prepareSnapshotPreBarrier(13);
    harness.notifyOfCompletedCheckpoint(13);
    Path b = ModelVariants.redocumented(ModelCard.shippedDir(), dir.resolve("b"), "9", "b");
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(14);
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    assertThat(out().get(0).modelSha256).isEqualTo(ModelCard.load(b).fileInfo("encoder").sha256());
    assertThat(harness.getSideOutput(GoalEncodeOperator.REFUSED_DEPLOYMENTS)).isNull();
  }

  @Test
  void shouldKeepASwitchWhoseCheckpointAbortedAfterItsBarrier() throws Exception {
    harness.processElement1(new StreamRecord<>(goal("a", "g1", true, 10), 1));
    Path b = ModelVariants.redocumented(ModelCard.shippedDir(), dir.resolve("b"), "9", "b");
    harness.processElement2(new StreamRecord<>(deployment(b)));
    harness.prepareSnapshotPreBarrier(1);
    harness.getOperator().notifyCheckpointAborted(1);
    String shaB = ModelCard.load(b).fileInfo("encoder").sha256();
    assertThat(out()).hasSize(2);
    assertThat(out().get(1).modelSha256).as("re-encoded at the switch").isEqualTo(shaB);
    harness.processElement1(new StreamRecord<>(goal("a", "g2", true, 10), 2));
    assertThat(out().get(2).modelSha256).as("the abort does not undo it").isEqualTo(shaB);
  }
}
