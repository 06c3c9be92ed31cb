package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.schemas.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-card encoder on the encoders' test encoder and its golden latents. */
class ImageEncoderTest {
  @TempDir Path tmp;

  private static ImageEncoder.Builder cpu(ModelCard card) {
    return ImageEncoder.builder(card).session(s -> s.device(Device.CPU).intraOpThreads(1));
  }

  @Test
  void shouldReproduceThePythonLatentsFromRgb8Frames() {
    float[] golden = Fixtures.floats("/parity/golden.latents.f32");
    try (ImageEncoder encoder = cpu(Fixtures.testCard()).maxBatch(2).build()) {
      float[] a = encoder.encodeRgb8(Fixtures.bytes("/parity/rgb_64x64.rgb.bin"), 64, 64);
      float[] b = encoder.encodeRgb8(Fixtures.bytes("/parity/rgb_96x72.rgb.bin"), 96, 72);

      assertThat(encoder.provider().actual()).isEqualTo(Device.CPU);
      assertThat(a).containsExactly(java.util.Arrays.copyOfRange(golden, 0, 64), within(1e-4f));
      assertThat(b).containsExactly(java.util.Arrays.copyOfRange(golden, 64, 128), within(1e-4f));
    }
  }

  @Test
  void shouldGiveTheSameLatentAloneAndInABatch() {
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    try (ImageEncoder encoder = cpu(Fixtures.testCard()).maxBatch(4).build()) {
      float[] alone = encoder.encodeRgb8(px, 64, 64);
      float[] two = new float[128];
      encoder.encodeRgb8(List.of(new byte[px.length], px), 64, 64, two);
      assertThat(java.util.Arrays.copyOfRange(two, 64, 128)).containsExactly(alone, within(1e-6f));
    }
  }

  @Test
  void shouldShareTheSessionBetweenEncodersOfTheSameModel() {
    int before = ModelSessions.openSessions();
    try (ImageEncoder a = cpu(Fixtures.testCard()).maxBatch(2).build();
        ImageEncoder b = cpu(Fixtures.testCard()).maxBatch(8).build()) {
      assertThat(ModelSessions.openSessions()).isEqualTo(before + 1);
      a.close();
      assertThat(b.encodeRgb8(new byte[64 * 64 * 3], 64, 64)).hasSize(64);
      assertThatThrownBy(() -> a.encodeRgb8(new byte[64 * 64 * 3], 64, 64))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
    assertThat(ModelSessions.openSessions()).isEqualTo(before);
  }

  @Test
  void shouldNameTheBatchOptionWhenAFixedBatchModelDoesNotFit() throws Exception {
    Path dir = Fixtures.testModelDir();
    Files.copy(
        dir.resolve("encoder-fixed-batch.onnx"),
        tmp.resolve("encoder.onnx"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(dir.resolve("model-card.json"), tmp.resolve("model-card.json"));
    ModelCard card = ModelCard.load(tmp);
    assertThatThrownBy(() -> cpu(card).maxBatch(8).batchOption("x.batch").build().close())
        .isInstanceOf(ModelRuntimeException.class)
        .hasMessageContaining("fixed batch size of 1 but x.batch is 8; set x.batch=1");
    try (ImageEncoder one = cpu(card).maxBatch(1).build()) {
      assertThat(one.contract().fixedBatch()).isEqualTo(1);
      assertThat(one.encodeRgb8(Fixtures.bytes("/parity/rgb_64x64.rgb.bin"), 64, 64))
          .containsExactly(
              java.util.Arrays.copyOfRange(Fixtures.floats("/parity/golden.latents.f32"), 0, 64),
              within(1e-4f));
    }
  }
}
