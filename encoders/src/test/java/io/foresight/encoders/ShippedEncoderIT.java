package io.foresight.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foresight.runtime.Device;
import io.foresight.schemas.ContractException;
import io.foresight.schemas.ModelCard;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped encoder ({@code models/two-rooms}) through this module's decoder and encoder
 * reproduces the golden latents that PyTorch computed for the golden frames. Skipped where the
 * shipped model is absent.
 */
class ShippedEncoderIT {

  private static Path shipped() {
    try {
      Path dir = ModelCard.shippedDir();
      Assumptions.assumeTrue(Files.isRegularFile(dir.resolve(ModelCard.FILE_NAME)));
      return dir;
    } catch (ContractException e) {
      Assumptions.abort("no shipped model: " + e.getMessage());
      return null;
    }
  }

  @Test
  void shouldReproduceTheGoldenLatentsFromRawRgbFrames() throws Exception {
    Path dir = shipped();
    Npy frames = Npy.read(dir.resolve("golden/frames.npy"));
    float[] golden = Npy.read(dir.resolve("golden/latents.npy")).floats();
    assertThat(frames.dtype).isEqualTo("|u1");
    int n = frames.shape[0];
    int h = frames.shape[1];
    int w = frames.shape[2];
    byte[] all = frames.bytes();
    try (OnnxFrameEncoder encoder =
        OnnxFrameEncoder.builder().modelDir(dir).device(Device.CPU).batchSize(n).build()) {
      assertThat(encoder.modelRef().getSha256())
          .isEqualTo(ModelCard.sha256(encoder.card().file("encoder")));
      FrameDecoder decoder = encoder.newDecoder();
      FrameBatch batch = encoder.newBatch();
      int frameBytes = h * w * 3;
      for (int i = 0; i < n; i++) {
        byte[] px = Arrays.copyOfRange(all, i * frameBytes, (i + 1) * frameBytes);
        batch.add(decoder, FrameEncoding.RGB8, w, h, px);
      }
      LatentBatch latents = encoder.encode(batch);
      assertThat(latents.latentShape()).containsExactly(encoder.card().latentShape());
      assertThat(latents.values()).containsExactly(golden, within(1e-4f));
    }
  }
}
