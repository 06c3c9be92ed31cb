package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.runtime.Device;
import io.foresight.runtime.ModelSessions;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.FrameEncoding;
import io.foresight.schemas.avro.LatentState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxFrameEncoderTest {
  @TempDir Path tmp;

  /** A batch holding the 64x64 RGB frame whose latent is the first of the golden latents. */
  private static FrameBatch goldenFrameBatch(OnnxFrameEncoder encoder) {
    FrameBatch batch = encoder.newBatch();
    batch.add(
        encoder.newDecoder(),
        FrameEncoding.RGB8,
        64,
        64,
        Fixtures.bytes("/parity/rgb_64x64.rgb.bin"));
    return batch;
  }

  private static OnnxFrameEncoder.Builder cpu() {
    return OnnxFrameEncoder.builder().modelDir(Fixtures.testModelDir()).device(Device.CPU);
  }

  @Test
  void shouldReproduceThePythonLatentsFromRawFrames() {
    float[] golden = Fixtures.floats("/parity/golden.latents.f32");
    try (OnnxFrameEncoder encoder = cpu().batchSize(8).build()) {
      FrameDecoder decoder = encoder.newDecoder();
      FrameBatch batch = encoder.newBatch();
      batch.add(decoder, FrameEncoding.RGB8, 64, 64, Fixtures.bytes("/parity/rgb_64x64.rgb.bin"));
      batch.add(decoder, FrameEncoding.PNG, 96, 72, Fixtures.bytes("/parity/rgb_96x72.png"));
      LatentBatch latents = encoder.encode(batch);
      assertThat(latents.count()).isEqualTo(2);
      assertThat(latents.values()).containsExactly(golden, within(1e-4f));
    }
  }

  @Test
  void shouldTagLatentsWithTheModelReference() {
    try (OnnxFrameEncoder encoder = cpu().build()) {
      FrameBatch batch = goldenFrameBatch(encoder);
      LatentState state = encoder.encode(batch).latentState(0, "cam-1", 7, 123);
      ModelCard card = Fixtures.testCard();
      assertThat(state.getModel()).isEqualTo(card.modelRef());
      assertThat(state.getModel().getSha256()).isEqualTo(card.fileInfo("encoder").sha256());
      assertThat(Tensors.shape(state.getLatent())).containsExactly(64);
      assertThat(state.getStreamId()).isEqualTo("cam-1");
      assertThat(state.getSequence()).isEqualTo(7);
      assertThat(state.getTimeUs()).isEqualTo(123);
    }
  }

  @Test
  void shouldGiveTheSameLatentAloneAndInABatch() {
    try (OnnxFrameEncoder encoder = cpu().build()) {
      FrameDecoder decoder = encoder.newDecoder();
      byte[] a = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
      byte[] b = Fixtures.bytes("/parity/rgb_96x72.rgb.bin");
      FrameBatch batch = encoder.newBatch();
      for (int i = 0; i < 31; i++) {
        batch.add(decoder, FrameEncoding.RGB8, 96, 72, b);
      }
      batch.add(decoder, FrameEncoding.RGB8, 64, 64, a);
      float[] inBatch = encoder.encode(batch).latent(31);
      batch.clear();
      batch.add(decoder, FrameEncoding.RGB8, 64, 64, a);
      float[] alone = encoder.encode(batch).latent(0);
      assertThat(inBatch).containsExactly(alone, within(1e-5f));
    }
  }

  @Test
  void shouldShareOneSessionPerModelAndCloseItWithTheLastEncoder() {
    int before = ModelSessions.openSessions();
    OnnxFrameEncoder first = cpu().threads(1).build();
    OnnxFrameEncoder second = cpu().threads(1).build();
    assertThat(ModelSessions.openSessions()).isEqualTo(before + 1);
    OnnxFrameEncoder otherSettings = cpu().threads(2).build();
    assertThat(ModelSessions.openSessions()).isEqualTo(before + 2);
    first.close();
    first.close(); // idempotent
    assertThat(ModelSessions.openSessions()).isEqualTo(before + 2);
    second.close();
    otherSettings.close();
    assertThat(ModelSessions.openSessions()).isEqualTo(before);
    assertThatThrownBy(() -> second.encode(second.newBatch()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldRefuseAnInputNameThatDiffersFromTheCard() {
    Path dir =
        TestModels.withCard(
            tmp,
            c ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("input"))
                    .put("name", "images"));
    assertThatThrownBy(() -> cpu().modelDir(dir).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining(
            "has inputs [frames] but its model card expects exactly one input" + " 'images'");
  }

  @Test
  void shouldRefuseAnInputSizeThatDiffersFromTheCard() {
    Path dir =
        TestModels.withCard(
            tmp,
            c ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("input"))
                    .put("height", 32)
                    .put("width", 32));
    assertThatThrownBy(() -> cpu().modelDir(dir).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining(
            "input 'frames' is FLOAT [-1, 3, 64, 64] but its model card says"
                + " FLOAT [N, 3, 32, 32]");
  }

  @Test
  void shouldRefuseALatentShapeThatDiffersFromTheCard() {
    Path dir =
        TestModels.withCard(
            tmp,
            c ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("latent"))
                    .putArray("shape")
                    .add(32));
    assertThatThrownBy(() -> cpu().modelDir(dir).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining(
            "output 'latent' is FLOAT [-1, 64] but its model card says FLOAT" + " [N, 32]");
  }

  @Test
  void shouldRefuseOutputNamesThatDifferFromTheCard() {
    Path dir =
        TestModels.withCard(tmp, c -> TestModels.encoderEntry(c).putArray("outputs").add("z"));
    assertThatThrownBy(() -> cpu().modelDir(dir).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("has outputs [latent] but its model card lists [z]");
  }

  @Test
  void shouldRefuseAFileWhoseHashDiffersFromTheCard() {
    Path dir = TestModels.withCard(tmp, c -> TestModels.encoderEntry(c).put("sha256", "00ff"));
    assertThatThrownBy(() -> cpu().modelDir(dir).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("but its model card says 00ff");
  }

  @Test
  void shouldRefuseAMissingCardWithTheFolderInTheMessage() {
    assertThatThrownBy(() -> cpu().modelDir(tmp).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("no model card at " + tmp.resolve("model-card.json"));
  }

  @Test
  void shouldRunAFixedBatchModelOnlyAtItsBatchSize() {
    Path dir =
        TestModels.withCard(
            tmp,
            c ->
                TestModels.encoderEntry(c)
                    .put("path", "encoder-fixed-batch.onnx")
                    .put(
                        "sha256",
                        ModelCard.sha256(
                            Fixtures.testModelDir().resolve("encoder-fixed-batch.onnx"))));
    assertThatThrownBy(() -> cpu().modelDir(dir).batchSize(8).build())
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("fixed batch size of 1 but encoder.batch.size is 8");
    try (OnnxFrameEncoder encoder = cpu().modelDir(dir).batchSize(1).build()) {
      FrameBatch batch = goldenFrameBatch(encoder);
      float[] golden = Fixtures.floats("/parity/golden.latents.f32");
      assertThat(encoder.encode(batch).latent(0))
          .containsExactly(java.util.Arrays.copyOf(golden, 64), within(1e-4f));
    }
  }

  @Test
  void shouldRefuseABatchLargerThanItsMaximum() {
    try (OnnxFrameEncoder encoder = cpu().batchSize(2).build()) {
      assertThatThrownBy(() -> encoder.encode(Tensors.directFloats(3 * encoder.frameSize()), 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch of 3 frames; this encoder takes 1..2");
    }
  }

  @Test
  void shouldReturnAnEmptyBatchForNoFrames() {
    try (OnnxFrameEncoder encoder = cpu().build()) {
      assertThat(encoder.encode(encoder.newBatch()).count()).isZero();
    }
  }
}
