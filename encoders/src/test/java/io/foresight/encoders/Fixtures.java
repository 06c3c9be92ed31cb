package io.foresight.encoders;

import io.foresight.schemas.ModelCard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Test resources: the test encoder and the parity fixtures made by make_test_encoder.py. */
public final class Fixtures {
  private Fixtures() {}

  /** The folder of the test encoder (model-card.json, encoder.onnx). */
  public static Path testModelDir() {
    try {
      return Path.of(Fixtures.class.getResource("/test-encoder/model-card.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ModelCard testCard() {
    return ModelCard.load(testModelDir());
  }

  public static byte[] bytes(String resource) {
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
  public static float[] floats(String resource) {
    byte[] b = bytes(resource);
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** A model input like the test card's with another size, order and normalisation. */
  public static ModelCard.Input input(
      int channels, int height, int width, String order, float[] mean, float[] std) {
    return new ModelCard.Input("frames", height, width, channels, order, 255f, mean, std);
  }

  public static ModelCard.Input rgb64() {
    return testCard().input();
  }
}
