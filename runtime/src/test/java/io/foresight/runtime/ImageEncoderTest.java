package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  void shouldKeepTheLatentsOfCallsInFlightApartAcrossBatchSizes() throws Exception {
    // encode() reuses its output tensors across calls: each call in flight must get its own.
    ModelCard card = Fixtures.testCard();
    byte[] px = Fixtures.bytes("/parity/rgb_64x64.rgb.bin");
    try (ImageEncoder encoder = cpu(card).maxBatch(4).build()) {
      int frame = encoder.frameSize();
      int latent = encoder.latentSize();
      FloatBuffer image = Tensors.directFloats(frame);
      ImagePreprocessor.forInput(card.input()).rgb8(px, 64, 64, image, 0);
      // Thread t encodes frames of its own: the image scaled by (i + 1 + 4t) / 12 at position i.
      List<FloatBuffer> frames = new ArrayList<>();
      List<float[]> expected = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        FloatBuffer f = Tensors.directFloats(4 * frame);
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < frame; j++) {
            f.put(i * frame + j, image.get(j) * (i + 1 + 4 * t) / 12f);
          }
        }
        float[] ref = new float[4 * latent];
        encoder.encode(f, 4, ref, 0);
        frames.add(f);
        expected.add(ref);
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<Float>> worst = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          int me = t;
          worst.add(
              pool.submit(
                  () -> {
                    float[] out = new float[4 * latent];
                    float diff = 0;
                    for (int k = 0; k < 200; k++) {
                      int n = 1 + (k + me) % 4;
                      Arrays.fill(out, Float.NaN);
                      encoder.encode(frames.get(me), n, out, 0);
                      for (int i = 0; i < n * latent; i++) {
                        diff = Math.max(diff, Math.abs(out[i] - expected.get(me)[i]));
                      }
                      for (int i = n * latent; i < 4 * latent; i++) {
                        if (!Float.isNaN(out[i])) {
                          diff = Float.POSITIVE_INFINITY; // written past the batch
                        }
                      }
                    }
                    return diff;
                  }));
        }
        for (Future<Float> w : worst) {
          assertThat(w.get()).isLessThan(1e-5f);
        }
      } finally {
        pool.shutdownNow();
      }
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
