package io.foresight.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameEncoderLiteTest {

  @Test
  void shouldPreprocessAndEncodeLikePyTorch() throws Exception {
    Path dir = io.foresight.planner.ToyModel.dir();
    JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
    byte[] rgb = new byte[64 * 64 * 3];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 64 + x) * 3 + c] = (byte) ((y * 7 + x * 3 + c * 50) % 256);
        }
      }
    }

    try (FrameEncoderLite enc = new FrameEncoderLite(ModelCard.load(dir), 4, 1)) {
      float[] z = enc.encode(rgb);
      float[] two = new float[16];
      enc.encode(List.of(new byte[rgb.length], rgb), two);

      JsonNode expected = golden.get("frame_latent");
      for (int i = 0; i < 8; i++) {
        assertThat(z[i]).isCloseTo((float) expected.get(i).asDouble(), within(1e-4f));
        assertThat(two[8 + i]).isCloseTo(z[i], within(1e-6f));
      }
    }
  }
}
