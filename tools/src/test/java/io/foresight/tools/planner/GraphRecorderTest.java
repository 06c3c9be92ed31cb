package io.foresight.tools.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.runtime.ImageEncoder;
import io.foresight.schemas.ModelCard;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRecorderTest {

  @Test
  void shouldEncodeRenderedFramesLikePyTorch() throws Exception {
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

    try (ImageEncoder enc = GraphRecorder.encoder(ModelCard.load(dir), 1)) {
      float[] z = enc.encodeRgb8(rgb, 64, 64);
      float[] two = new float[16];
      enc.encodeRgb8(List.of(new byte[rgb.length], rgb), 64, 64, two);

      JsonNode expected = golden.get("frame_latent");
      for (int i = 0; i < 8; i++) {
        assertThat(z[i]).isCloseTo((float) expected.get(i).asDouble(), within(1e-4f));
        assertThat(two[8 + i]).isCloseTo(z[i], within(1e-6f));
      }
    }
  }
}
