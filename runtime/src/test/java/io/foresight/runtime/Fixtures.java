package io.foresight.runtime;

import io.foresight.schemas.ModelCard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Test resources: the encoders' test encoder and a subset of their parity fixtures (made by
 * encoders/src/test/python/make_test_encoder.py; copied, not regenerated).
 */
final class Fixtures {
  private Fixtures() {}

  static Path testModelDir() {
    try {
      return Path.of(Fixtures.class.getResource("/test-encoder/model-card.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ModelCard testCard() {
    return ModelCard.load(testModelDir());
  }

  static byte[] bytes(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Little-endian float32 values of a resource. */
  static float[] floats(String resource) {
    byte[] b = bytes(resource);
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  static ModelCard.Input input(int channels, int height, int width, String order) {
    float[] mean = new float[channels];
    float[] std = new float[channels];
    java.util.Arrays.fill(mean, 0.5f);
    java.util.Arrays.fill(std, 0.25f);
    return new ModelCard.Input("frames", height, width, channels, order, 255f, mean, std);
  }
}
