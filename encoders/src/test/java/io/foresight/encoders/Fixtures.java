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

  /**
   * The folder of the test encoder (model-card.json, encoder.onnx). Other modules' tests read it
   * through this module's test jar; ONNX Runtime needs a file, so the folder is the one the jar was
   * built from ({@code target/test-classes} next to it).
   */
  public static Path testModelDir() {
    try {
      java.net.URL card = Fixtures.class.getResource("/test-encoder/model-card.json");
      if (card.getProtocol().equals("jar")) {
        String jar = card.getPath().substring(0, card.getPath().indexOf("!/"));
        return Path.of(new java.net.URI(jar)).resolveSibling("test-classes/test-encoder");
      }
      return Path.of(card.toURI()).getParent();
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
